package io.tessera.media.internal;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swresample;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;

/**
 * Loads the FFmpeg natives once, with JavaCPP's extraction cache in a known place and FFmpeg silent.
 *
 * <p>JavaCPP extracts ~40 MB of libraries on first use, by default to ~/.javacpp/cache. Here it is the system
 * property {@code org.bytedeco.javacpp.cachedir} when set, else {@code javacpp} under {@link CacheDirs}. It is a
 * JVM-wide setting read at first load, so it is set here before anything touches {@link Loader}.
 * FFmpeg logs to stderr by itself, and every damaged upload would print there; errors reach callers as exceptions.
 */
public final class FfmpegRuntime {

    private static volatile boolean loaded;

    private FfmpegRuntime() {
    }

    public static void ensureLoaded() {
        if (loaded) {
            return;
        }
        synchronized (FfmpegRuntime.class) {
            if (loaded) {
                return;
            }
            if (System.getProperty("org.bytedeco.javacpp.cachedir") == null) {
                System.setProperty("org.bytedeco.javacpp.cachedir", CacheDirs.base().resolve("javacpp").toString());
            }
            try {
                // Exactly the libraries decoding and encoding need. JavaCV's own tryLoad() also loads libavdevice
                // (capture devices), which links against PulseAudio, XCB, ... that servers do not have; its static
                // initialisers record that failure and go on, and nothing here uses devices.
                Loader.load(avutil.class);
                Loader.load(swresample.class);
                Loader.load(avcodec.class);
                Loader.load(avformat.class);
                Loader.load(swscale.class);
                initialise(FFmpegFrameGrabber.class);
                initialise(FFmpegFrameRecorder.class);
                avutil.av_log_set_level(avutil.AV_LOG_QUIET);
            } catch (UnsatisfiedLinkError | ClassNotFoundException e) {
                throw new IllegalStateException("FFmpeg natives cannot be loaded (cache dir "
                        + System.getProperty("org.bytedeco.javacpp.cachedir") + "): is the ffmpeg jar for this"
                        + " platform (" + Loader.getPlatform() + ") on the class path?", e);
            }
            loaded = true;
        }
    }

    private static void initialise(Class<?> type) throws ClassNotFoundException {
        Class.forName(type.getName(), true, type.getClassLoader());
    }
}
