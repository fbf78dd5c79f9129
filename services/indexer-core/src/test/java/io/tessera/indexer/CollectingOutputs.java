package io.tessera.indexer;

import io.tessera.events.MediaIndexed;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.TimeoutException;

/** The event and dead-letter sink for unit tests: collects everything; can fail the next sends like a broker outage. */
final class CollectingOutputs implements Outputs {

    final List<MediaIndexed> events = new CopyOnWriteArrayList<>();
    final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    final AtomicInteger failNext = new AtomicInteger();

    @Override
    public CompletableFuture<Void> indexed(MediaIndexed event) {
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return CompletableFuture.failedFuture(new TimeoutException("broker unavailable (simulated)"));
        }
        events.add(event);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> deadLetter(DeadLetter letter) {
        deadLetters.add(letter);
        return CompletableFuture.completedFuture(null);
    }
}
