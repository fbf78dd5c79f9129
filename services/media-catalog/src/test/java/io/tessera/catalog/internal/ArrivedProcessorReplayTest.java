package io.tessera.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.catalog.CatalogMetrics;
import io.tessera.catalog.CatalogSettings;
import io.tessera.events.InlineBytes;
import io.tessera.events.MediaArrived;
import io.tessera.events.Modality;
import io.tessera.registry.InMemorySchemaRegistry;
import io.tessera.serde.SpecificAvroDeserializer;
import io.tessera.serde.SpecificAvroSerializer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * At-least-once replays, which the test driver cannot produce (its offsets only grow): after a crash the state store
 * may already hold what a record did while its routed copy was never written, and the same offset is read again.
 */
class ArrivedProcessorReplayTest {

    private static final String STORE = "status";
    private final String scope = "replay-" + UUID.randomUUID();
    private final InMemorySchemaRegistry registry = InMemorySchemaRegistry.forScope(scope);
    private final CatalogSettings settings = CatalogSettings.defaults("");
    private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    private ArrivedProcessor processor;
    private byte[] value;

    @BeforeEach
    void setUp() {
        KeyValueStore<String, CatalogEntry> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE),
                Serdes.String(), new JsonSerde<>(CatalogEntry.class)).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        context.setCurrentSystemTimeMs(1_700_000_000_000L);
        processor = new ArrivedProcessor(settings, new SpecificAvroDeserializer<>(registry, MediaArrived.class),
                CatalogMetrics.NONE, STORE);
        processor.init(context);
        MediaArrived item = MediaArrived.newBuilder().setMediaId("img-1").setTenant("acme").setModality(Modality.IMAGE)
                .setContentType("image/png").setContent(new InlineBytes(ByteBuffer.wrap(new byte[] {1, 2, 3})))
                .setInstruction(null).setAttributes(Map.of()).setOccurredAt(Instant.parse("2025-01-01T00:00:00Z"))
                .build();
        value = new SpecificAvroSerializer<MediaArrived>(registry, Map.of(), false).serialize(settings.topics().arrived(), item);
    }

    @AfterEach
    void tearDown() {
        InMemorySchemaRegistry.dropScope(scope);
    }

    @Test
    void theRecordThatMadeTheCurrentVersionIsRoutedAgainWhenReadAgain() {
        process(0, 5, value);
        assertThat(context.forwarded(Nodes.routeSink(Modality.IMAGE))).hasSize(1);
        context.resetForwards();

        process(0, 5, value);
        assertThat(context.forwarded(Nodes.routeSink(Modality.IMAGE))).as("replay of offset 5").hasSize(1);
        assertThat(context.forwarded(Nodes.CATALOG_SINK)).hasSize(1);
        context.resetForwards();

        process(0, 6, value);
        assertThat(context.forwarded()).as("a real re-publish at another offset is a no-op").isEmpty();
    }

    @Test
    void theTombstoneThatDeletedTheItemIsRoutedAgainWhenReadAgain() {
        process(0, 5, value);
        process(0, 6, null);
        context.resetForwards();

        process(0, 6, null);
        assertThat(context.forwarded(Nodes.routeSink(Modality.IMAGE))).hasSize(1);
        assertThat(context.forwarded(Nodes.routeSink(Modality.IMAGE)).get(0).record().value()).isNull();
        context.resetForwards();

        process(0, 7, null);
        assertThat(context.forwarded()).as("a second delete at another offset is a no-op").isEmpty();
    }

    private void process(int partition, long offset, byte[] recordValue) {
        context.setRecordMetadata(settings.topics().arrived(), partition, offset);
        processor.process(new Record<>("img-1".getBytes(StandardCharsets.UTF_8), recordValue, 0L));
    }
}
