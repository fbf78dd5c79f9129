package io.tessera.media.internal;

import java.io.ByteArrayInputStream;

/**
 * In-memory input for FFmpeg that reports end of data once a deadline has passed. FFmpeg's demuxers only make
 * progress by reading, and JavaCV offers no interrupt callback, so this is how a decode that runs too long
 * (a pathological file) is stopped without killing a thread: the demuxer sees EOF and returns.
 */
final class DeadlineInputStream extends ByteArrayInputStream {

    private volatile long deadlineNanos;
    private volatile boolean expired;

    DeadlineInputStream(byte[] bytes, long deadlineNanos) {
        super(bytes);
        this.deadlineNanos = deadlineNanos;
    }

    /**
     * Moves the deadline later by time spent on something the decode timeout does not cover (OCR of a frame, which
     * has its own limits). Only the decoding thread calls this; no effect once expired.
     */
    void extend(long nanos) {
        if (nanos > 0 && !expired) {
            deadlineNanos += nanos;
        }
    }

    boolean expired() {
        if (!expired && System.nanoTime() - deadlineNanos > 0) {
            expired = true;
        }
        return expired;
    }

    @Override
    public synchronized int read() {
        return expired() ? -1 : super.read();
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) {
        return expired() ? -1 : super.read(b, off, len);
    }

    @Override
    public synchronized long skip(long n) {
        return expired() ? 0 : super.skip(n);
    }
}
