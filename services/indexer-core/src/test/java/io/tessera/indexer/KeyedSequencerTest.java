package io.tessera.indexer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.indexer.internal.KeyedSequencer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class KeyedSequencerTest {

    @Test
    void sameKeyWaitsForItsPredecessorOtherKeysDoNot() {
        KeyedSequencer sequencer = new KeyedSequencer();
        List<String> started = new CopyOnWriteArrayList<>();
        CompletableFuture<String> gate = new CompletableFuture<>();

        CompletableFuture<String> a1 = sequencer.submit("a", () -> {
            started.add("a1");
            return gate;
        });
        CompletableFuture<String> a2 = sequencer.submit("a", () -> {
            started.add("a2");
            return CompletableFuture.completedFuture("a2");
        });
        CompletableFuture<String> b1 = sequencer.submit("b", () -> {
            started.add("b1");
            return CompletableFuture.completedFuture("b1");
        });

        assertThat(started).containsExactly("a1", "b1");
        assertThat(b1).isCompletedWithValue("b1");
        assertThat(a2).isNotDone();
        gate.completeExceptionally(new IllegalStateException("a1 failed"));
        assertThat(a1).isCompletedExceptionally();
        assertThat(a2).isCompletedWithValue("a2");
        assertThat(started).containsExactly("a1", "b1", "a2");
        assertThat(sequencer.activeKeys()).isZero();
    }
}
