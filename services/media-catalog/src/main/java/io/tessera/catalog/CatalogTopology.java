package io.tessera.catalog;

import io.tessera.catalog.internal.ArrivedProcessor;
import io.tessera.catalog.internal.CatalogEntry;
import io.tessera.catalog.internal.IndexedProcessor;
import io.tessera.catalog.internal.JsonSerde;
import io.tessera.catalog.internal.Nodes;
import io.tessera.events.MediaArrived;
import io.tessera.events.MediaIndexed;
import io.tessera.events.Modality;
import io.tessera.registry.SchemaRegistry;
import io.tessera.serde.SerdeConfig;
import io.tessera.serde.SpecificAvroDeserializer;
import io.tessera.serde.SpecificAvroSerializer;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The media-catalog pipeline as a plain function of its settings, so that a test drives it with
 * {@code TopologyTestDriver} and the service only wires it to Kafka.
 *
 * <pre>
 *  media.arrived (bytes) ──► catalog-arrived ──► media.image | video | document | text   (MediaArrived, tombstones)
 *                                 │        ├──► media.catalog                              (compacted)
 *                                 │        ├──► media.indexed                              (FAILED for rejected items)
 *                                 │        └──► media.dlq                                  (original bytes + provenance)
 *                          [media-status store] (mediaId → CatalogEntry)
 *                                 │
 *  media.indexed (bytes) ──► catalog-indexed ──► media.dlq
 * </pre>
 *
 * Both inputs are read as bytes and decoded inside the processors: a poison pill becomes a dead letter with the
 * original bytes and the partition keeps flowing, while a registry outage (transient) propagates and fails the task,
 * so the record is read again rather than dead-lettered. The status store is shared by both processors, which is why
 * media.arrived and media.indexed must have the same number of partitions (checked at start by the service).
 */
public final class CatalogTopology {

    /** The status store: mediaId → what the catalog knows about the item. Queried by {@code GET /v1/media/{id}}. */
    public static final String STATUS_STORE = "media-status";

    private CatalogTopology() {
    }

    /**
     * @param settings topics, limits and policies
     * @param registry the schema registry the Avro serde uses (an {@code InMemorySchemaRegistry} in unit tests)
     * @param metrics where counts go
     */
    public static Topology create(CatalogSettings settings, SchemaRegistry registry, CatalogMetrics metrics) {
        CatalogTopics topics = settings.topics();
        SpecificAvroDeserializer<MediaArrived> arrivedReader = new SpecificAvroDeserializer<>(registry, MediaArrived.class);
        SpecificAvroDeserializer<MediaIndexed> indexedReader = new SpecificAvroDeserializer<>(registry, MediaIndexed.class);
        Map<String, Object> serdeConfig = Map.of(SerdeConfig.AUTO_REGISTER_SCHEMAS, settings.autoRegisterSchemas());
        Serializer<MediaArrived> arrivedWriter = preconfigured(new SpecificAvroSerializer<>(registry, serdeConfig, false));
        Serializer<MediaIndexed> indexedWriter = preconfigured(new SpecificAvroSerializer<>(registry, serdeConfig, false));

        StoreBuilder<KeyValueStore<String, CatalogEntry>> statusStore = Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(STATUS_STORE), Serdes.String(), new JsonSerde<>(CatalogEntry.class))
                .withCachingEnabled();

        Topology topology = new Topology();
        topology.addSource(Nodes.ARRIVED_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.arrived());
        topology.addSource(Nodes.INDEXED_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.indexed());
        topology.addProcessor(Nodes.ARRIVED_PROCESSOR,
                () -> new ArrivedProcessor(settings, arrivedReader, metrics, STATUS_STORE), Nodes.ARRIVED_SOURCE);
        topology.addProcessor(Nodes.INDEXED_PROCESSOR,
                () -> new IndexedProcessor(settings, indexedReader, metrics, STATUS_STORE), Nodes.INDEXED_SOURCE);
        topology.addStateStore(statusStore, Nodes.ARRIVED_PROCESSOR, Nodes.INDEXED_PROCESSOR);

        for (Modality modality : Modality.values()) {
            if (modality != Modality.UNKNOWN) {
                topology.addSink(Nodes.routeSink(modality), topics.forModality(modality), new StringSerializer(),
                        arrivedWriter, Nodes.ARRIVED_PROCESSOR);
            }
        }
        topology.addSink(Nodes.CATALOG_SINK, topics.catalog(), new StringSerializer(), arrivedWriter,
                Nodes.ARRIVED_PROCESSOR);
        topology.addSink(Nodes.INDEXED_SINK, topics.indexed(), new StringSerializer(), indexedWriter,
                Nodes.ARRIVED_PROCESSOR);
        topology.addSink(Nodes.DLQ_SINK, topics.deadLetter(), new ByteArraySerializer(), new ByteArraySerializer(),
                Nodes.ARRIVED_PROCESSOR, Nodes.INDEXED_PROCESSOR);
        return topology;
    }

    /**
     * The serializer as built, immune to {@code configure}: Kafka Streams may configure sink serializers with the
     * application's properties, which would reset {@code auto.register.schemas} to its default.
     */
    private static <T extends SpecificRecord> Serializer<T> preconfigured(SpecificAvroSerializer<T> serializer) {
        return serializer::serialize;
    }
}
