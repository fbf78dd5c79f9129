package io.tessera.demo.dataset;

/** Technical facts of a generated video. */
public record VideoInfo(int width, int height, int fps, long durationMs, int frames) {
}
