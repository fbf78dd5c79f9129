package io.tessera.trainer.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.events.CuratedPair;
import io.tessera.events.Item;
import io.tessera.events.Modality;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairStoreTest {

    @TempDir
    Path dir;

    static CuratedPair pair(String id, String text) {
        Item q = Item.newBuilder().setModality(Modality.TEXT).setText(text).build();
        Item p = Item.newBuilder().setModality(Modality.IMAGE).setMediaId("img-" + id).build();
        return CuratedPair.newBuilder().setPairId(id).setTask("t2i").setQuery(q).setPositive(p).setNegatives(List.of())
                .setWeight(1).setSource("test").setCreatedAt(Instant.ofEpochMilli(0)).build();
    }

    @Test
    void pairsSurviveARestartAndTheLatestVersionOfAPairWins() {
        try (PairStore store = PairStore.open(dir)) {
            assertThat(store.put(pair("a", "red circle"), 0, 10)).isEqualTo(PairStore.Outcome.NEW);
            assertThat(store.put(pair("b", "blue square"), 1, 11)).isEqualTo(PairStore.Outcome.NEW);
            assertThat(store.put(pair("a", "red circle"), 0, 10)).as("a redelivery").isEqualTo(PairStore.Outcome.UNCHANGED);
            assertThat(store.put(pair("a", "large red circle"), 0, 12)).isEqualTo(PairStore.Outcome.CHANGED);
        }
        try (PairStore store = PairStore.open(dir)) {
            assertThat(store.size()).isEqualTo(2);
            assertThat(store.snapshot()).extracting(p -> p.decode().getQuery().getText())
                    .containsExactly("blue square", "large red circle");
            assertThat(store.highWaterMark()).isEqualTo(2);
            assertThat(store.countAfter(-1)).isEqualTo(2);
            assertThat(store.countAfter(1)).as("only the changed pair is new after sequence 1").isEqualTo(1);
        }
    }

    @Test
    void aTornTailFromACrashIsDroppedAndTheRestKept() throws Exception {
        try (PairStore store = PairStore.open(dir)) {
            store.put(pair("a", "one"), 0, 1);
            store.put(pair("b", "two"), 0, 2);
        }
        Path log = dir.resolve("pairs.log");
        long size = Files.size(log);
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "rw")) {
            f.setLength(size - 3); // the crash cut the last record short
        }
        try (PairStore store = PairStore.open(dir)) {
            assertThat(store.truncatedBytes()).isPositive();
            assertThat(store.snapshot()).extracting(PairStore.StoredPair::pairId).containsExactly("a");
            assertThat(store.put(pair("b", "two"), 0, 2)).isEqualTo(PairStore.Outcome.NEW);
        }
        try (PairStore store = PairStore.open(dir)) {
            assertThat(store.size()).isEqualTo(2);
            assertThat(store.truncatedBytes()).isZero();
        }
    }
}
