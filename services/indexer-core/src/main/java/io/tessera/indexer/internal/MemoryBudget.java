package io.tessera.indexer.internal;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds the decoded media held in memory at once. Decoding is usually faster than embedding, so without a bound
 * decoded frames and pages would pile up in front of the batchers; here a decode worker waits for budget after it
 * decoded an item, which stops it from decoding the next one (back-pressure up to the consumer, which pauses).
 * Counted in KiB so that an int semaphore covers budgets up to terabytes.
 */
public final class MemoryBudget {

    private final Semaphore permits;
    private final int total;

    public MemoryBudget(long bytes) {
        long kib = Math.max(1, bytes >> 10);
        this.total = (int) Math.min(Integer.MAX_VALUE, kib);
        this.permits = new Semaphore(total, true);
    }

    /**
     * Takes budget for {@code bytes}, waiting while it is spent. An item larger than the whole budget takes all of
     * it (it was decoded already: the decoder's own caps bound it).
     */
    public Lease acquire(long bytes) throws InterruptedException {
        int wanted = (int) Math.max(1, Math.min(total, (bytes + 1023) >> 10));
        permits.acquire(wanted);
        return new Lease(wanted);
    }

    public long availableBytes() {
        return (long) permits.availablePermits() << 10;
    }

    /** Budget held for one decoded item; {@link #release()} is idempotent. */
    public final class Lease {
        private final int held;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(int held) {
            this.held = held;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                permits.release(held);
            }
        }
    }
}
