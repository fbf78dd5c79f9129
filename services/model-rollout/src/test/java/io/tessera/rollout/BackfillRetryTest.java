package io.tessera.rollout;

import io.tessera.catalog.client.CatalogEntry;
import io.tessera.catalog.client.CatalogPosition;
import io.tessera.events.InlineText;
import io.tessera.events.MediaArrived;
import io.tessera.events.Modality;
import io.tessera.rollout.internal.Backfill;
import io.tessera.vectorstore.testing.InMemoryVectorStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The backfill retries a failing re-index until it succeeds, and a stop ends retries that would never succeed. */
class BackfillRetryTest {

    private final RolloutTest.FakeCatalog catalog = new RolloutTest.FakeCatalog();
    private final InMemoryVectorStore store = new InMemoryVectorStore();

    @Test
    void aFailingReindexIsRetriedUntilItSucceeds() throws Exception {
        catalog.append(CatalogEntry.item(item("a"), new CatalogPosition("media.catalog", 0, 0)));
        AtomicInteger calls = new AtomicInteger();
        BackfillIndexer flaky = (item, source, target) -> calls.incrementAndGet() <= 2
                ? CompletableFuture.failedFuture(new IllegalStateException("Milvus is restarting"))
                : CompletableFuture.completedFuture(BackfillIndexer.Outcome.INDEXED);
        try (Backfill backfill = backfill(flaky).start()) {
            RolloutStatus.Backfill done = backfill.done().get(30, TimeUnit.SECONDS);
            assertThat(done.indexed()).isEqualTo(1);
            assertThat(calls).hasValue(3);
            assertThat(backfill.lastError()).contains("re-indexing a").contains("attempt 2").contains("Milvus is restarting");
        }
    }

    @Test
    void closingEndsRetriesThatWouldNeverSucceed() throws Exception {
        catalog.append(CatalogEntry.item(item("b"), new CatalogPosition("media.catalog", 0, 0)));
        AtomicInteger calls = new AtomicInteger();
        BackfillIndexer down = (item, source, target) -> {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(new IllegalStateException("down"));
        };
        Backfill backfill = backfill(down).start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> calls.get() >= 3);
        backfill.close();
        assertThatThrownBy(() -> backfill.done().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("stopped");
        int after = calls.get();
        // Held for 200 ms (ten retry periods): at most the attempt already due may still run.
        org.awaitility.Awaitility.await("no attempt after the stop").during(Duration.ofMillis(200))
                .atMost(Duration.ofSeconds(5)).until(() -> calls.get() <= after + 1);
    }

    private Backfill backfill(BackfillIndexer indexer) {
        return new Backfill(catalog, indexer, store, Modality.TEXT, null, "target_v2", 2, Duration.ofMillis(10),
                Clock.systemUTC());
    }

    private static MediaArrived item(String mediaId) {
        return MediaArrived.newBuilder().setMediaId(mediaId).setTenant("t1").setModality(Modality.TEXT)
                .setContentType("text/plain").setContent(new InlineText(mediaId)).setInstruction(null)
                .setAttributes(Map.of()).setOccurredAt(Instant.now()).build();
    }
}
