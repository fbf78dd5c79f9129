package io.tessera.demo.dataset.internal;

import io.tessera.demo.dataset.FrameSink;
import io.tessera.demo.dataset.VideoEncoder;
import io.tessera.demo.dataset.VideoFormat;
import io.tessera.media.VideoWriter;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/** Encodes through the media library's {@link VideoWriter} (FFmpeg: OpenH264 for MP4, libvpx for WebM). */
public final class MediaLibraryVideoEncoder implements VideoEncoder {

    @Override
    public FrameSink open(Path file, VideoFormat format, int width, int height, int fps) throws IOException {
        VideoWriter writer = VideoWriter.open(file, switch (format) {
            case MP4_H264 -> VideoWriter.Format.MP4_H264;
            case WEBM_VP8 -> VideoWriter.Format.WEBM_VP8;
        }, width, height, fps);
        return new FrameSink() {
            @Override
            public void write(BufferedImage frame) throws IOException {
                writer.write(frame);
            }

            @Override
            public void close() throws IOException {
                writer.close();
            }
        };
    }
}
