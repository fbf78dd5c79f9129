package io.tessera.media;

import io.tessera.media.internal.FfmpegEncoding;
import io.tessera.media.internal.Pixels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Writes video files from pictures: for generating test and demo media (the dataset generator, integration tests),
 * so that nothing outside this module needs FFmpeg. Frames are shown at a constant rate, frame {@code i} at
 * {@code i / fps} seconds, one keyframe per second.
 *
 * <pre>{@code
 * try (VideoWriter w = VideoWriter.open(path, VideoWriter.Format.MP4_H264, 640, 360, 25)) {
 *     for (BufferedImage frame : frames) w.write(frame);
 * }
 * }</pre>
 */
public final class VideoWriter implements AutoCloseable {

    /** Container and codec pairs that every Tessera decoder reads. */
    public enum Format {
        /** MP4 with H.264 (OpenH264), yuv420p. */
        MP4_H264("mp4", false),
        /** WebM with VP8 (libvpx), yuv420p. */
        WEBM_VP8("webm", true);

        private final String container;
        private final boolean vp8;

        Format(String container, boolean vp8) {
            this.container = container;
            this.vp8 = vp8;
        }

        public String fileExtension() {
            return container;
        }
    }

    private final FfmpegEncoding encoder;

    private VideoWriter(FfmpegEncoding encoder) {
        this.encoder = encoder;
    }

    /**
     * Starts a video file; its width and height must be even (4:2:0 chroma).
     *
     * @throws IOException when FFmpeg cannot create the file or the encoder
     */
    public static VideoWriter open(Path file, Format format, int width, int height, double fps) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(format, "format");
        if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("width and height must be positive and even, were " + width + "x"
                    + height);
        }
        if (!(fps > 0 && fps <= 240)) {
            throw new IllegalArgumentException("fps must be in (0, 240], was " + fps);
        }
        return new VideoWriter(FfmpegEncoding.video(file, format.container, format.vp8, width, height, fps));
    }

    /** Appends one frame; it must have the writer's size (any image type: converted to RGB). */
    public void write(BufferedImage image) throws IOException {
        encoder.write(Pixels.toRgb(Objects.requireNonNull(image, "image")));
    }

    /** Appends one frame; it must have the writer's size. */
    public void write(RgbImage image) throws IOException {
        encoder.write(Objects.requireNonNull(image, "image"));
    }

    /** Flushes the encoder and writes the container's index. */
    @Override
    public void close() throws IOException {
        encoder.close();
    }

    /** Writes all frames (each of the first frame's size) to a file. */
    public static void write(Path file, Format format, double fps, List<? extends BufferedImage> frames)
            throws IOException {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("a video needs at least one frame");
        }
        BufferedImage first = frames.get(0);
        try (VideoWriter writer = open(file, format, first.getWidth(), first.getHeight(), fps)) {
            for (BufferedImage image : frames) {
                writer.write(image);
            }
        }
    }

    /** Encodes all frames and returns the file's bytes (through a temporary file: MP4 needs a seekable output). */
    public static byte[] encode(Format format, double fps, List<? extends BufferedImage> frames) throws IOException {
        Path tmp = Files.createTempFile("tessera-video-", "." + format.fileExtension());
        try {
            write(tmp, format, fps, frames);
            return Files.readAllBytes(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
