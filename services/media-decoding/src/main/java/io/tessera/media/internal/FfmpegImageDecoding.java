package io.tessera.media.internal;

import io.tessera.media.RgbImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Still images through FFmpeg, for the formats where it is far faster than the ImageIO plug-in: WebP
 * (TwelveMonkeys' pure-Java VP8 decoder took 1-3 s for a 1080p picture here, FFmpeg 15-50 ms, scaled output included).
 */
final class FfmpegImageDecoding {

    private FfmpegImageDecoding() {
    }

    /**
     * Decodes the first picture scaled to {@code width x height} RGB, or empty when FFmpeg cannot (the caller falls
     * back to ImageIO, which also handles what FFmpeg's decoder does not, such as animated WebP).
     */
    static Optional<RgbImage> decode(byte[] bytes, String demuxer, int width, int height) {
        FfmpegRuntime.ensureLoaded();
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(new ByteArrayInputStream(bytes), bytes.length);
        try {
            grabber.setOption("format_whitelist", demuxer);
            grabber.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
            grabber.setImageWidth(width);
            grabber.setImageHeight(height);
            grabber.start(false);
            Frame frame = grabber.grabImage();
            if (frame == null || frame.image == null || frame.imageWidth != width || frame.imageHeight != height) {
                return Optional.empty();
            }
            return Optional.of(copy(frame));
        } catch (FrameGrabber.Exception | RuntimeException e) {
            return Optional.empty();
        } finally {
            try {
                grabber.close();
            } catch (FrameGrabber.Exception | RuntimeException ignored) {
                // natives are released inside close(); nothing else to do
            }
        }
    }

    /** JavaCV reuses the frame's buffer: copy the pixels out, row by row (rows may be padded). */
    static RgbImage copy(Frame frame) {
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        int stride = frame.imageStride;
        ByteBuffer src = ((ByteBuffer) frame.image[0]).duplicate();
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            src.position(y * stride);
            src.get(rgb, y * w * 3, w * 3);
        }
        return new RgbImage(w, h, rgb);
    }
}
