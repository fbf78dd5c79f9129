package io.tessera.media.internal;

import io.tessera.media.DecodeOptions;
import io.tessera.media.DecodedMedia;
import io.tessera.media.DecodedMedia.TextOrigin;
import io.tessera.media.FetchedContent;
import io.tessera.media.MediaRejectedException;
import io.tessera.media.RejectReason;
import io.tessera.media.RgbImage;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Samples frames at a fixed interval with FFmpeg (JavaCV), decoded by FFmpeg straight to RGB24 at the target size.
 *
 * <p>Frames between sample points are decoded without conversion. To reach the next sample point the grabber either
 * reads on or seeks ({@code setTimestamp}, which lands on the exact frame); see {@link #shouldSeek}. A seek restarts
 * decoding at the previous keyframe, so it only pays when a keyframe lies between here and the target: with 1 s
 * keyframes and 1 s sampling it skips almost all decoding, with 10 s keyframes it would decode the same frames again
 * for every sample.
 *
 * <p>Each sampled frame is compared with the previous one for a cut to another shot ({@link SceneCuts}), at the
 * frame size, so the indexer never merges frames of two shots into one moment.
 *
 * <p>OCR: up to {@link io.tessera.media.ocr.OcrOptions#maxFrames()} of the sampled frames, spread evenly over the
 * video, are read for text (captions, titles, slides). The model's frame size (224 pixels high) leaves a caption a
 * few pixels tall, which no OCR reads, so those frames are converted at the source resolution (capped by the OCR
 * pixel limit), read, and then shrunk to the model's size with a box filter. The time OCR takes does not count
 * against the decode timeout.
 */
public final class VideoSampling {

    /** Demuxers we accept: common upload containers. Playlist/concat demuxers (HLS, concat) would open other URLs. */
    static final String DEMUXERS = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,mpegts,mpeg,flv,ogg,asf";

    private static final long SEEK_AHEAD_US = 2_500_000;
    private static final long TOLERANCE_US = 1_000;
    private static final int MAX_ASPECT = 4;

    private VideoSampling() {
    }

    public static DecodedMedia.DecodedVideo decode(FetchedContent content, DecodeOptions options)
            throws MediaRejectedException {
        FfmpegRuntime.ensureLoaded();
        byte[] bytes = content.bytes();
        if (Mp4Structure.isIsoBmff(bytes) && Mp4Structure.isTruncated(bytes)) {
            throw new MediaRejectedException(RejectReason.TRUNCATED, content.origin() + ": the MP4 ends inside a box"
                    + " (" + bytes.length + " bytes): the upload was cut off; resend the complete file");
        }
        long deadline = System.nanoTime() + options.decodeTimeout().toNanos();
        DeadlineInputStream in = new DeadlineInputStream(bytes, deadline);
        // A positive maximumSize is what makes JavaCV install its seek callback; without it an MP4 whose index
        // comes after its data cannot be read. Our stream is in memory, so "maximum" is simply all of it.
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(in, Math.max(1, bytes.length));
        try {
            grabber.setOption("format_whitelist", DEMUXERS);
            grabber.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
            try {
                grabber.start();
            } catch (FrameGrabber.Exception e) {
                checkDeadline(in, content, options);
                throw new MediaRejectedException(RejectReason.CORRUPT_VIDEO, content.origin() + " cannot be opened as"
                        + " a video (not an MP4/WebM/MKV/AVI/MPEG-TS/... container, or damaged): " + e.getMessage(), e);
            }
            return sample(grabber, in, content, options);
        } catch (FrameGrabber.Exception | RuntimeException e) {
            checkDeadline(in, content, options);
            throw new MediaRejectedException(RejectReason.CORRUPT_VIDEO, content.origin() + ": decoding failed: "
                    + ImageDecoding.describe(e), e);
        } finally {
            try {
                grabber.close();
            } catch (FrameGrabber.Exception | RuntimeException ignored) {
                // nothing left to save; the natives are freed by release() inside close()
            }
        }
    }

    private static DecodedMedia.DecodedVideo sample(FFmpegFrameGrabber g, DeadlineInputStream in,
                                                    FetchedContent content, DecodeOptions options)
            throws FrameGrabber.Exception, MediaRejectedException {
        if (!g.hasVideo() || g.getImageWidth() <= 0 || g.getImageHeight() <= 0) {
            throw new MediaRejectedException(RejectReason.CORRUPT_VIDEO, content.origin() + " (" + g.getFormat()
                    + ") has no decodable video stream");
        }
        int srcW = g.getImageWidth();
        int srcH = g.getImageHeight();
        if ((long) srcW * srcH > options.maxImagePixels()) {
            throw new MediaRejectedException(RejectReason.PIXEL_LIMIT, content.origin() + ": video frames of "
                    + srcW + "x" + srcH + " exceed the pixel limit of " + options.maxImagePixels());
        }
        String codec = codecName(g);
        long maxDurationUs = options.maxVideoDuration().toNanos() / 1000;
        long containerUs = g.getLengthInTime();
        long durationUs = videoStreamDurationUs(g.getFormatContext());
        if (durationUs <= 0) {
            durationUs = containerUs;
        }
        if (Math.max(containerUs, durationUs) > maxDurationUs) {
            throw new MediaRejectedException(RejectReason.DURATION_LIMIT, content.origin() + " lasts "
                    + Math.max(containerUs, durationUs) / 1000 + " ms, more than the limit of "
                    + maxDurationUs / 1000 + " ms");
        }
        int[] size = targetSize(srcW, srcH, g.getAspectRatio(), options.frameShortSide());
        g.setImageWidth(size[0]);
        g.setImageHeight(size[1]);
        OcrRun ocr = OcrRun.forFrames(options, content.origin());
        int[] ocrSize = ocr.active() ? ocrSize(srcW, srcH, g.getAspectRatio(), size, ocr.options().maxPixels()) : size;

        long intervalUs = options.frameInterval().toNanos() / 1000;
        long frameBytes = 3L * size[0] * size[1];
        int maxFrames = (int) Math.max(1, Math.min(options.maxFrames(), options.maxOutputBytes() / frameBytes));
        if (durationUs > 0 && maxFrames > 1) {
            // Stretch the interval rather than drop the end of a long video.
            intervalUs = Math.max(intervalUs, ceilDiv(durationUs, maxFrames));
        }
        double fps = g.getVideoFrameRate();
        long frameUs = fps > 0 && fps < 1000 ? Math.round(1_000_000 / fps) : 0;

        // Which frames OCR reads: every ocrEvery-th of the frames this video is expected to give, from the first.
        int expected = durationUs > 0 ? (int) Math.min(maxFrames, Math.max(1, ceilDiv(durationUs, intervalUs)))
                : maxFrames;
        int ocrEvery = ocr.active() ? (int) Math.max(1, ceilDiv(expected, ocr.options().maxFrames())) : 0;

        List<long[]> times = new ArrayList<>();
        List<RgbImage> images = new ArrayList<>();
        List<OcrRun.Outcome> texts = new ArrayList<>();
        List<Boolean> cuts = new ArrayList<>();
        SceneCuts sceneCuts = new SceneCuts();
        long nextUs = 0;
        long lastUs = Long.MIN_VALUE;
        long lastKeyUs = Long.MIN_VALUE;
        long gopUs = 0; // keyframe spacing seen so far; 0 = not known yet
        boolean mustProcess = true;
        boolean eof = false;
        while (images.size() < maxFrames) {
            checkDeadline(in, content, options);
            if (durationUs > 0 && nextUs >= durationUs && !images.isEmpty()) {
                break;
            }
            boolean ocrPick = ocrEvery > 0 && images.size() % ocrEvery == 0;
            int[] convertTo = ocrPick && ocr.hasQuota() ? ocrSize : size;
            if (g.getImageWidth() != convertTo[0] || g.getImageHeight() != convertTo[1]) {
                // JavaCV reads the size at each conversion and reallocates its buffer when it changed.
                g.setImageWidth(convertTo[0]);
                g.setImageHeight(convertTo[1]);
            }
            if (lastUs != Long.MIN_VALUE && shouldSeek(lastUs, nextUs, lastKeyUs, gopUs)) {
                g.setTimestamp(nextUs);
                mustProcess = true;
            }
            // Convert to RGB only a frame that may land on the sample point (the next frame is due at lastUs+frameUs).
            boolean process = mustProcess || frameUs == 0 || lastUs + 2 * frameUs >= nextUs - TOLERANCE_US;
            Frame frame = g.grabFrame(false, true, process, false, false);
            if (frame == null) {
                eof = true;
                break;
            }
            long ts = Math.max(0, g.getTimestamp());
            if (frame.keyFrame) {
                if (lastKeyUs != Long.MIN_VALUE && ts > lastKeyUs && ts - lastKeyUs < 60_000_000) {
                    gopUs = ts - lastKeyUs;
                }
                lastKeyUs = ts;
            }
            lastUs = ts;
            if (ts > maxDurationUs) {
                throw new MediaRejectedException(RejectReason.DURATION_LIMIT, content.origin() + " has frames at "
                        + ts / 1000 + " ms, past the limit of " + maxDurationUs / 1000 + " ms");
            }
            if (ts < nextUs - TOLERANCE_US && !images.isEmpty()) {
                mustProcess = false;
                continue;
            }
            if (!process) {
                mustProcess = true; // a variable-rate jump skipped past the sample point: take the next frame
                continue;
            }
            RgbImage picture = FfmpegImageDecoding.copy(frame);
            long startMs = images.isEmpty() ? 0 : ts / 1000;
            RgbImage image = Pixels.downscale(picture, size[0], size[1]);
            // Compared at the size every frame of the video has, whatever size OCR had it converted at.
            cuts.add(sceneCuts.next(image));
            images.add(image);
            times.add(new long[] {startMs});
            if (ocrPick) {
                // Past the item's OCR budget this only notes (and logs once) that the frame was skipped.
                OcrRun.Outcome read = ocr.recognize(() -> Pixels.grayImage(picture), 0,
                        "the frame at " + startMs + " ms");
                in.extend(read.nanos());
                texts.add(read);
            } else {
                texts.add(new OcrRun.Outcome("", ocr.active() ? TextOrigin.OCR_SKIPPED : TextOrigin.NONE, 0));
            }
            mustProcess = false;
            while (nextUs <= ts + TOLERANCE_US) {
                nextUs += intervalUs;
            }
        }
        checkDeadline(in, content, options);
        if (images.isEmpty()) {
            throw new MediaRejectedException(eof && durationUs > 0 ? RejectReason.TRUNCATED : RejectReason.CORRUPT_VIDEO,
                    content.origin() + ": no frame could be decoded (" + codec + ", " + srcW + "x" + srcH + ")");
        }
        long lastFrameEndMs = lastUs / 1000 + Math.max(1, frameUs / 1000);
        long durationMs = durationUs > 0 ? durationUs / 1000 : lastFrameEndMs;
        boolean complete = !(eof && durationUs > 0
                && lastUs + 2 * frameUs + 1_000_000 < durationUs);
        List<DecodedMedia.VideoFrame> frames = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            long start = times.get(i)[0];
            long end = i + 1 < images.size() ? times.get(i + 1)[0]
                    : Math.max(start + 1, complete ? durationMs : lastFrameEndMs);
            frames.add(new DecodedMedia.VideoFrame(i, start, end, images.get(i), texts.get(i).text(),
                    texts.get(i).origin(), cuts.get(i)));
        }
        return new DecodedMedia.DecodedVideo(new DecodedMedia.ContentInfo(content.bytes().length, content.sha256()),
                frames, durationMs, intervalUs / 1000, srcW, srcH, codec, complete);
    }

    /**
     * Seek when a keyframe is expected after the current position and at or before the target: the seek then lands
     * on it and decodes fewer frames than reading on would. The keyframe spacing is learnt while reading (regular
     * GOPs are the norm); until it is known, seek only for long gaps.
     */
    static boolean shouldSeek(long currentUs, long targetUs, long lastKeyUs, long gopUs) {
        if (targetUs - currentUs <= TOLERANCE_US) {
            return false;
        }
        if (gopUs <= 0 || lastKeyUs == Long.MIN_VALUE) {
            return targetUs - currentUs > SEEK_AHEAD_US;
        }
        long nextKeyUs = lastKeyUs + ((currentUs - lastKeyUs) / gopUs + 1) * gopUs;
        return nextKeyUs <= targetUs + TOLERANCE_US;
    }

    private static void checkDeadline(DeadlineInputStream in, FetchedContent content, DecodeOptions options)
            throws MediaRejectedException {
        if (in.expired()) {
            throw new MediaRejectedException(RejectReason.DECODE_TIMEOUT, content.origin() + ": decoding took longer"
                    + " than " + options.decodeTimeout().toMillis() + " ms");
        }
    }

    /** Short side = target, display aspect kept (sample aspect ratio applied), long side capped at 4x the short. */
    static int[] targetSize(int srcW, int srcH, double sampleAspect, int shortSide) {
        double displayW = srcW * (sampleAspect > 0 && Double.isFinite(sampleAspect) ? sampleAspect : 1.0);
        double aspect = displayW / srcH;
        int w;
        int h;
        if (aspect >= 1) {
            h = shortSide;
            w = (int) Math.min((long) shortSide * MAX_ASPECT, Math.round(shortSide * aspect));
        } else {
            w = shortSide;
            h = (int) Math.min((long) shortSide * MAX_ASPECT, Math.round(shortSide / aspect));
        }
        return new int[] {Math.max(1, w), Math.max(1, h)};
    }

    /**
     * The size frames are read for OCR at: the source's (display aspect kept), shrunk to {@code maxPixels}; never
     * below the model's frame size.
     */
    static int[] ocrSize(int srcW, int srcH, double sampleAspect, int[] frameSize, long maxPixels) {
        int[] full = targetSize(srcW, srcH, sampleAspect, Math.min(srcW, srcH));
        int[] fitted = Pixels.fit(full[0], full[1], maxPixels);
        return (long) fitted[0] * fitted[1] > (long) frameSize[0] * frameSize[1] ? fitted : frameSize;
    }

    private static long videoStreamDurationUs(AVFormatContext oc) {
        if (oc == null) {
            return -1;
        }
        for (int i = 0; i < oc.nb_streams(); i++) {
            AVStream st = oc.streams(i);
            if (st.codecpar().codec_type() == avutil.AVMEDIA_TYPE_VIDEO) {
                long d = st.duration();
                AVRational tb = st.time_base();
                if (d != avutil.AV_NOPTS_VALUE && d > 0 && tb.den() > 0) {
                    return Math.round(d * 1_000_000.0 * tb.num() / tb.den());
                }
                return -1;
            }
        }
        return -1;
    }

    private static String codecName(FFmpegFrameGrabber g) {
        String name = g.getVideoCodecName();
        if (name == null || name.isBlank()) {
            name = avcodec.avcodec_get_name(g.getVideoCodec()).getString();
        }
        return name;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
