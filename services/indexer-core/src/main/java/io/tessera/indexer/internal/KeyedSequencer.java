package io.tessera.indexer.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs tasks with the same key one after the other, in submission order, and tasks with different keys
 * concurrently. Records of one mediaId (an item, its update, its tombstone) must not overtake each other, or a
 * delete could run before the upsert it was meant to remove; records of different items need no order because
 * each item's rows are independent.
 */
public final class KeyedSequencer {

    private final ConcurrentHashMap<String, CompletableFuture<?>> tails = new ConcurrentHashMap<>();

    /**
     * Starts {@code task} once every earlier task of the same key has finished (whatever its result); a null key
     * starts at once. {@code task} only kicks work off and returns its future: it may run on the thread that
     * finished the previous task.
     */
    public <T> CompletableFuture<T> submit(String key, Supplier<CompletableFuture<T>> task) {
        if (key == null) {
            return start(task);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        CompletableFuture<?>[] previous = new CompletableFuture<?>[1];
        tails.compute(key, (k, tail) -> {
            previous[0] = tail;
            return result;
        });
        CompletableFuture<?> before = previous[0] == null ? CompletableFuture.completedFuture(null) : previous[0];
        before.handle((v, e) -> null)
                .thenCompose(ignored -> start(task))
                .whenComplete((v, e) -> {
                    tails.remove(key, result);
                    if (e != null) {
                        result.completeExceptionally(Failures.unwrap(e));
                    } else {
                        result.complete(v);
                    }
                });
        return result;
    }

    /** Keys with a task queued or running. */
    public int activeKeys() {
        return tails.size();
    }

    private static <T> CompletableFuture<T> start(Supplier<CompletableFuture<T>> task) {
        try {
            return task.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
