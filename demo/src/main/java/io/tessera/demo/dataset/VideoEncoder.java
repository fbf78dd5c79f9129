package io.tessera.demo.dataset;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens a video file for frames. The generator only draws frames; encoding belongs to the media library (the one
 * place that may use FFmpeg), reached through this interface.
 */
@FunctionalInterface
public interface VideoEncoder {

    FrameSink open(Path file, VideoFormat format, int width, int height, int fps) throws IOException;

    /** The real encoder: the media library's video writer (MP4/H.264 and WebM/VP8 through FFmpeg). */
    static VideoEncoder mediaLibrary() {
        return new io.tessera.demo.dataset.internal.MediaLibraryVideoEncoder();
    }
}
