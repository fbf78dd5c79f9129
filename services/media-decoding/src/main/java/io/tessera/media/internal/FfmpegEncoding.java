package io.tessera.media.internal;

import io.tessera.media.RgbImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

/** FFmpeg encoders behind {@link io.tessera.media.VideoWriter} and {@link io.tessera.media.ImageEncoder}. */
public final class FfmpegEncoding implements AutoCloseable {

    private final FFmpegFrameRecorder recorder;
    private final int width;
    private final int height;
    private final ByteBuffer buffer;
    private final Frame frame;
    private boolean closed;

    private FfmpegEncoding(FFmpegFrameRecorder recorder, int width, int height) {
        this.recorder = recorder;
        this.width = width;
        this.height = height;
        this.buffer = ByteBuffer.allocateDirect(width * height * 3);
        this.frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3, width * 3);
    }

    /** A constant-rate video, one keyframe per second (cheap seeking for the tests that read it back). */
    public static FfmpegEncoding video(Path file, String container, boolean vp8, int width, int height, double fps)
            throws IOException {
        FfmpegRuntime.ensureLoaded();
        FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), width, height, 0);
        recorder.setFormat(container);
        recorder.setVideoCodec(vp8 ? avcodec.AV_CODEC_ID_VP8 : avcodec.AV_CODEC_ID_H264);
        recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        recorder.setFrameRate(fps);
        recorder.setGopSize(Math.max(1, (int) Math.round(fps)));
        // Enough for clean synthetic pictures at small sizes, small files for tests.
        recorder.setVideoBitrate(Math.max(200_000, width * height * 2));
        // Byte-identical output for the same frames (the generated dataset is reproducible by seed):
        // the muxer writes random ids and the encoders' output depends on their thread count unless pinned,
        // and libvpx's realtime deadline adapts to the wall clock, so VP8 uses the "good" deadline.
        recorder.setOption("fflags", "+bitexact");
        recorder.setVideoOption("flags", "+bitexact");
        recorder.setVideoOption("threads", "1");
        if (vp8) {
            recorder.setVideoOption("deadline", "good");
            recorder.setVideoOption("cpu-used", "4");
        }
        return start(recorder, width, height, file);
    }

    /** A single lossy WebP picture (libwebp). */
    public static byte[] webp(RgbImage image, int quality) throws IOException {
        FfmpegRuntime.ensureLoaded();
        Path tmp = Files.createTempFile("tessera-image-", ".webp");
        try {
            FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(tmp.toFile(), image.width(), image.height(), 0);
            recorder.setFormat("webp");
            recorder.setVideoCodecName("libwebp");
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(1);
            recorder.setVideoOption("quality", Integer.toString(quality));
            try (FfmpegEncoding encoder = start(recorder, image.width(), image.height(), tmp)) {
                encoder.write(image);
            }
            return Files.readAllBytes(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static FfmpegEncoding start(FFmpegFrameRecorder recorder, int width, int height, Path file)
            throws IOException {
        try {
            recorder.start();
        } catch (FrameRecorder.Exception e) {
            try {
                recorder.release();
            } catch (FrameRecorder.Exception | RuntimeException ignored) {
                // the start failure is the one to report
            }
            throw new IOException("cannot start an FFmpeg encoder for " + file + ": " + e.getMessage(), e);
        }
        return new FfmpegEncoding(recorder, width, height);
    }

    public void write(RgbImage image) throws IOException {
        if (closed) {
            throw new IllegalStateException("encoder is closed");
        }
        if (image.width() != width || image.height() != height) {
            throw new IllegalArgumentException("frame is " + image.width() + "x" + image.height() + ", the output is "
                    + width + "x" + height);
        }
        buffer.clear();
        buffer.put(image.rgb()).flip();
        frame.image[0] = buffer;
        try {
            recorder.record(frame, avutil.AV_PIX_FMT_RGB24);
        } catch (FrameRecorder.Exception e) {
            throw new IOException("encoding a frame failed: " + e.getMessage(), e);
        }
    }

    /** Flushes the encoder and writes the container's trailer (the MP4 index). */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            recorder.stop();
            recorder.release();
        } catch (FrameRecorder.Exception e) {
            throw new IOException("finishing the output failed: " + e.getMessage(), e);
        } finally {
            frame.close();
        }
    }
}
