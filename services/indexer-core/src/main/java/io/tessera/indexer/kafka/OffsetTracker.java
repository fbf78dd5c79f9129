package io.tessera.indexer.kafka;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets of each assigned partition may be committed: records finish out of order (an image overtakes a
 * video), but a partition's committed offset may only move past a record once it and every record before it in
 * that partition have finished. That is the at-least-once rule: after a crash, everything not committed is read
 * again, and nothing that was committed is lost. Confined to the consumer thread (not thread-safe).
 * <p>
 * Written by hand because the plain consumer has nothing like it (SmallRye's "throttled" commit strategy does the
 * same inside its connector, which this indexer does not use: see {@link IndexerConsumer}).
 */
final class OffsetTracker {

    /** The state of one partition; a completion carries it, so completions from before a rebalance are ignored. */
    static final class Partition {
        private final ArrayDeque<Long> pending = new ArrayDeque<>();
        private final Set<Long> finished = new HashSet<>();
        private long commitPosition = -1;
        private long committed = -1;
    }

    private final Map<TopicPartition, Partition> partitions = new HashMap<>();
    private int inFlight;

    void assigned(Collection<TopicPartition> tps) {
        for (TopicPartition tp : tps) {
            partitions.putIfAbsent(tp, new Partition());
        }
    }

    /** Forgets partitions; their records still in flight no longer count (their completions will be ignored). */
    void revoked(Collection<TopicPartition> tps) {
        for (TopicPartition tp : tps) {
            Partition p = partitions.remove(tp);
            if (p != null) {
                inFlight -= p.pending.size();
            }
        }
    }

    /** A record was handed to the pipeline; returns the token its completion must bring back. */
    Partition started(TopicPartition tp, long offset) {
        Partition p = partitions.computeIfAbsent(tp, k -> new Partition());
        if (!p.pending.isEmpty() && p.pending.peekLast() >= offset) {
            throw new IllegalStateException("offsets of " + tp + " must increase: " + offset + " after "
                    + p.pending.peekLast());
        }
        p.pending.addLast(offset);
        inFlight++;
        return p;
    }

    /** A record finished; ignored when its partition was revoked (or revoked and assigned again) meanwhile. */
    void finished(TopicPartition tp, long offset, Partition token) {
        Partition p = partitions.get(tp);
        if (p == null || p != token) {
            return;
        }
        p.finished.add(offset);
        while (!p.pending.isEmpty() && p.finished.remove(p.pending.peekFirst())) {
            p.commitPosition = p.pending.pollFirst() + 1;
            inFlight--;
        }
    }

    /** The positions to commit: per partition, one past the last record before which everything has finished. */
    Map<TopicPartition, OffsetAndMetadata> committable() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        partitions.forEach((tp, p) -> {
            if (p.commitPosition > p.committed) {
                out.put(tp, new OffsetAndMetadata(p.commitPosition));
            }
        });
        return out;
    }

    Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> tps) {
        Map<TopicPartition, OffsetAndMetadata> all = committable();
        all.keySet().retainAll(tps);
        return all;
    }

    /** The given positions were committed (or are being: async commits are retried by the next round anyway). */
    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((tp, o) -> {
            Partition p = partitions.get(tp);
            if (p != null && o.offset() > p.committed) {
                p.committed = o.offset();
            }
        });
    }

    /** An async commit failed: offer those positions again in the next round. */
    void commitFailed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((tp, o) -> {
            Partition p = partitions.get(tp);
            if (p != null && p.committed == o.offset()) {
                p.committed = -1;
            }
        });
    }

    /** Every position reached, whether or not committed before (for the final synchronous commit). */
    Map<TopicPartition, OffsetAndMetadata> positions(Collection<TopicPartition> tps) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        for (TopicPartition tp : tps) {
            Partition p = partitions.get(tp);
            if (p != null && p.commitPosition >= 0) {
                out.put(tp, new OffsetAndMetadata(p.commitPosition));
            }
        }
        return out;
    }

    java.util.Set<TopicPartition> partitions() {
        return java.util.Set.copyOf(partitions.keySet());
    }

    /** Records handed out and not yet part of a committable prefix. */
    int inFlight() {
        return inFlight;
    }

    /** The oldest unfinished offset of a partition, for logs; -1 when none. */
    long oldestPending(TopicPartition tp) {
        Partition p = partitions.get(tp);
        return p == null || p.pending.isEmpty() ? -1 : p.pending.peekFirst();
    }
}
