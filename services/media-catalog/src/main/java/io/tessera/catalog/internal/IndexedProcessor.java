package io.tessera.catalog.internal;

import io.tessera.catalog.CatalogHeaders;
import io.tessera.catalog.CatalogMetrics;
import io.tessera.catalog.CatalogSettings;
import io.tessera.catalog.ItemStatus;
import io.tessera.catalog.MediaRejectedException;
import io.tessera.catalog.RejectionReason;
import io.tessera.events.IndexStatus;
import io.tessera.events.MediaIndexed;
import io.tessera.serde.PoisonPillException;
import io.tessera.serde.SpecificAvroDeserializer;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds media.indexed into the status store. An event is applied when it belongs to the entry's tenant and to the
 * current version of the item; otherwise it is skipped (and counted by why):
 * <ul>
 *   <li>{@code tenant_mismatch}: another tenant's event for this mediaId;</li>
 *   <li>{@code stale}: for a version older than the accepted one (its arrivedAt is before the accepted occurredAt);</li>
 *   <li>{@code deleted}: an INDEXED or FAILED event for an item deleted since;</li>
 *   <li>{@code live}: a DELETED event while the item is live (the old indexer's confirmation after a modality change);</li>
 *   <li>{@code own_event}: a FAILED event this service wrote itself, already applied when it was written;</li>
 *   <li>{@code unknown_status}: a status symbol this service does not know.</li>
 * </ul>
 */
public final class IndexedProcessor implements Processor<byte[], byte[], Object, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(IndexedProcessor.class);

    private final CatalogSettings settings;
    private final SpecificAvroDeserializer<MediaIndexed> deserializer;
    private final CatalogMetrics metrics;
    private final String storeName;

    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, CatalogEntry> store;

    public IndexedProcessor(CatalogSettings settings, SpecificAvroDeserializer<MediaIndexed> deserializer,
                            CatalogMetrics metrics, String storeName) {
        this.settings = settings;
        this.deserializer = deserializer;
        this.metrics = metrics;
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.value() == null) {
            return; // media.indexed has no deletes; nothing to fold in
        }
        RecordMetadata source = context.recordMetadata().orElseThrow(
                () -> new IllegalStateException("media.indexed records always have metadata"));
        if (settings.serviceName().equals(DeadLetters.header(record.headers(), CatalogHeaders.ORIGIN))) {
            metrics.statusEvent(IndexStatus.FAILED, "own_event");
            return;
        }
        MediaIndexed event;
        try {
            event = deserializer.deserialize(source.topic(), record.value());
        } catch (PoisonPillException pill) {
            PoisonPillException located = pill.at(source.topic(), source.partition(), source.offset());
            context.forward(DeadLetters.of(record, source, RejectionReason.NOT_AVRO.name(), located.detail(), located,
                    settings.serviceName()), Nodes.DLQ_SINK);
            metrics.deadLettered(RejectionReason.NOT_AVRO.name(), source.topic());
            LOG.warn("Dead-lettered an undecodable record from {}-{}@{}: {}{}", source.topic(), source.partition(),
                    source.offset(), located.detail(), located.getCause() == null ? "" : " (" + located.getCause() + ")");
            return;
        }
        Optional<String> key = record.key() == null ? Optional.empty() : Keys.decode(record.key());
        if (key.isEmpty() || !key.get().equals(event.getMediaId())) {
            Rejection rejection = new Rejection(RejectionReason.KEY_MISMATCH, "the Kafka key "
                    + key.map(Identifiers::quote).orElse("(missing or not UTF-8)") + " differs from the mediaId "
                    + Identifiers.quote(event.getMediaId()) + ": media.indexed events are keyed by mediaId");
            context.forward(DeadLetters.of(record, source, rejection.reason().name(), rejection.message(),
                    new MediaRejectedException(rejection.reason(), rejection.detail()), settings.serviceName()),
                    Nodes.DLQ_SINK);
            metrics.deadLettered(rejection.reason().name(), source.topic());
            LOG.warn("Dead-lettered a media.indexed event from {}-{}@{}: {}", source.topic(), source.partition(),
                    source.offset(), rejection.message());
            return;
        }
        String mediaId = key.get();
        String skip = apply(mediaId, event);
        metrics.statusEvent(event.getStatus(), skip);
        if (skip != null) {
            LOG.debug("Skipped {} event for mediaId={} model={}:{} ({}-{}@{}): {}", event.getStatus(), mediaId,
                    event.getModelName(), event.getModelVersion(), source.topic(), source.partition(), source.offset(),
                    skip);
        }
    }

    /** Applies the event; returns null when applied, otherwise why it was skipped. */
    private String apply(String mediaId, MediaIndexed event) {
        if (event.getStatus() == null || event.getStatus() == IndexStatus.UNKNOWN) {
            return "unknown_status";
        }
        CatalogEntry entry = store.get(mediaId);
        if (entry == null) {
            store.put(mediaId, CatalogEntry.fromIndexed(event));
            return null;
        }
        if (!entry.tenant().equals(event.getTenant())) {
            return "tenant_mismatch";
        }
        if (entry.live()) {
            if (event.getStatus() == IndexStatus.DELETED) {
                return "live";
            }
            if (event.getArrivedAt().toEpochMilli() < entry.occurredAt()) {
                return "stale";
            }
        } else if (entry.status() == ItemStatus.DELETED && event.getStatus() != IndexStatus.DELETED) {
            return "deleted";
        }
        store.put(mediaId, entry.withIndexed(event));
        return null;
    }
}
