package io.tessera.embedding.batch;

import java.time.Duration;
import java.util.Objects;

/**
 * @param maxBatchSize largest batch handed to the batch function
 * @param maxWait longest an item waits for companions: a batch is run when it is full or when its first item has
 *     waited this long (under load batches fill while the previous one runs, so nobody waits)
 * @param queueCapacity items that may wait; beyond that {@code submit} blocks (see submitTimeout)
 * @param submitTimeout how long {@code submit} blocks on a full queue before the call is rejected with a
 *     retriable {@link BatcherOverloadedException}; zero rejects at once
 * @param workers threads forming and running batches concurrently (1 keeps one inference at a time; 2, the
 *     runtime's default, lets one batch's host-side work, i.e. decoding into the input buffer, tokenizing and
 *     completing the callers, overlap the other's inference)
 */
public record BatcherConfig(int maxBatchSize, Duration maxWait, int queueCapacity, Duration submitTimeout,
        int workers) {
    public BatcherConfig {
        Objects.requireNonNull(maxWait, "maxWait");
        Objects.requireNonNull(submitTimeout, "submitTimeout");
        if (maxBatchSize < 1 || queueCapacity < 1 || workers < 1) {
            throw new IllegalArgumentException("maxBatchSize, queueCapacity and workers must be >= 1");
        }
        if (maxWait.isNegative() || submitTimeout.isNegative()) {
            throw new IllegalArgumentException("maxWait and submitTimeout must not be negative");
        }
    }

    public BatcherConfig withMaxBatchSize(int n) {
        return new BatcherConfig(n, maxWait, queueCapacity, submitTimeout, workers);
    }

    public BatcherConfig withMaxWait(Duration d) {
        return new BatcherConfig(maxBatchSize, d, queueCapacity, submitTimeout, workers);
    }

    public BatcherConfig withQueue(int capacity, Duration timeout) {
        return new BatcherConfig(maxBatchSize, maxWait, capacity, timeout, workers);
    }

    public BatcherConfig withWorkers(int n) {
        return new BatcherConfig(maxBatchSize, maxWait, queueCapacity, submitTimeout, n);
    }
}
