package io.tessera.catalog.internal;

import io.tessera.catalog.CatalogHeaders;
import io.tessera.catalog.CatalogMetrics;
import io.tessera.catalog.CatalogMetrics.Outcome;
import io.tessera.catalog.CatalogSettings;
import io.tessera.catalog.ItemStatus;
import io.tessera.catalog.MediaRejectedException;
import io.tessera.catalog.RejectionReason;
import io.tessera.events.IndexStatus;
import io.tessera.events.MediaArrived;
import io.tessera.events.MediaIndexed;
import io.tessera.events.Modality;
import io.tessera.serde.PoisonPillException;
import io.tessera.serde.SpecificAvroDeserializer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads media.arrived as raw bytes, so that a record that cannot be decoded is dead-lettered with its original bytes
 * instead of stopping the partition. For each record: decode, validate, check ownership, dedup by fingerprint, then
 * route to media.&lt;modality&gt; and media.catalog and mark the item PENDING; or dead-letter it (plus a FAILED
 * MediaIndexed when it names an item); tombstones go to the topic of the item's last known modality.
 *
 * <p>Failures that are not about the record (the schema registry unreachable, a bug) are not caught: they fail the
 * task, the stream thread is replaced and the record is read again from the last committed offset.
 */
public final class ArrivedProcessor implements Processor<byte[], byte[], Object, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(ArrivedProcessor.class);

    private final CatalogSettings settings;
    private final SpecificAvroDeserializer<MediaArrived> deserializer;
    private final MediaValidator validator;
    private final CatalogMetrics metrics;
    private final String storeName;

    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, CatalogEntry> store;

    public ArrivedProcessor(CatalogSettings settings, SpecificAvroDeserializer<MediaArrived> deserializer,
                            CatalogMetrics metrics, String storeName) {
        this.settings = settings;
        this.deserializer = deserializer;
        this.validator = new MediaValidator(settings);
        this.metrics = metrics;
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        context.schedule(settings.purgeInterval(), PunctuationType.WALL_CLOCK_TIME, this::purgeDeleted);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow(
                () -> new IllegalStateException("media.arrived records always have metadata"));
        if (record.value() == null) {
            processTombstone(record, source);
            return;
        }
        if (record.value().length > settings.limits().maxRecordBytes()) {
            reject(record, source, null, null, new Rejection(RejectionReason.RECORD_TOO_LARGE, "the record has "
                    + record.value().length + " bytes, more than the limit of " + settings.limits().maxRecordBytes()
                    + ": send large media as a reference"));
            return;
        }
        MediaArrived event;
        try {
            // The two-argument form: the three-argument one marks transient failures in the headers, which we rethrow.
            event = deserializer.deserialize(source.topic(), record.value());
        } catch (PoisonPillException pill) {
            deadLetterPoisonPill(record, source, pill);
            return;
        }
        String key = null;
        if (record.key() != null) {
            Optional<String> decoded = Keys.decode(record.key());
            if (decoded.isEmpty()) {
                reject(record, source, event, null, new Rejection(RejectionReason.KEY_MISMATCH,
                        "the Kafka key is not valid UTF-8: the key must be the mediaId"));
                return;
            }
            key = decoded.get();
        }
        Optional<Rejection> invalid = validator.validate(key, event);
        if (invalid.isPresent()) {
            reject(record, source, event, key, invalid.get());
            return;
        }
        accept(record, source, key, event);
    }

    private void accept(Record<byte[], byte[]> record, RecordMetadata source, String mediaId, MediaArrived event) {
        CatalogEntry entry = store.get(mediaId);
        boolean live = entry != null && entry.live();
        if (live && !entry.tenant().equals(event.getTenant())) {
            reject(record, source, event, mediaId, new Rejection(RejectionReason.TENANT_MISMATCH, "mediaId "
                    + Identifiers.quote(mediaId) + " already belongs to another tenant: choose another mediaId"));
            return;
        }
        String fingerprint = ContentFingerprint.of(event);
        Modality modality = event.getModality();
        if (live && fingerprint.equals(entry.fingerprint())) {
            if (entry.changedBy(source.partition(), source.offset())) {
                // The record that made this version, read again after a restart: its routed copy may never have
                // been written (the state write and the routed write are not atomic under at-least-once), so
                // route it again; indexers upsert, so a second copy costs work, not correctness.
                route(record, mediaId, event);
                metrics.record(Outcome.REPLAYED, modality);
                LOG.debug("Replayed mediaId={} ({}-{}@{})", mediaId, source.topic(), source.partition(), source.offset());
            } else {
                metrics.record(Outcome.DEDUPLICATED, modality);
                LOG.debug("Unchanged re-publish of mediaId={} ({}-{}@{}): not routed", mediaId, source.topic(),
                        source.partition(), source.offset());
            }
            return;
        }
        if (live && entry.modality() != modality && entry.modality() != Modality.UNKNOWN) {
            // The item moved to another modality: the old indexer must drop its rows. Indexers delete by
            // (mediaId, their own modality), so the order of the two topics does not matter.
            forwardTombstone(record, mediaId, entry.tenant(), entry.modality());
        }
        long now = context.currentSystemTimeMs();
        store.put(mediaId, CatalogEntry.accepted(mediaId, event.getTenant(), modality, fingerprint,
                event.getOccurredAt().toEpochMilli(), source.partition(), source.offset(), now));
        route(record, mediaId, event);
        Outcome outcome = live ? Outcome.UPDATED : Outcome.ACCEPTED;
        metrics.record(outcome, modality);
        LOG.debug("{} mediaId={} tenant={} modality={} ({}-{}@{})", outcome, mediaId, event.getTenant(), modality,
                source.topic(), source.partition(), source.offset());
    }

    private void route(Record<byte[], byte[]> record, String mediaId, MediaArrived event) {
        Record<Object, Object> out = new Record<>(mediaId, event, record.timestamp(), record.headers());
        context.forward(out, Nodes.routeSink(event.getModality()));
        context.forward(out, Nodes.CATALOG_SINK);
    }

    private void processTombstone(Record<byte[], byte[]> record, RecordMetadata source) {
        Optional<String> decoded = record.key() == null ? Optional.empty() : Keys.decode(record.key());
        if (decoded.isEmpty() || decoded.get().isEmpty()) {
            reject(record, source, null, null, new Rejection(record.key() == null ? RejectionReason.MISSING_KEY
                    : RejectionReason.KEY_MISMATCH, "a tombstone needs the mediaId (UTF-8) as its key"));
            return;
        }
        String mediaId = decoded.get();
        CatalogEntry entry = store.get(mediaId);
        if (entry == null) {
            // Deleting what is not there is already done: nobody has to act on it, so no dead letter.
            metrics.record(Outcome.TOMBSTONE_IGNORED, null);
            LOG.info("Tombstone for unknown mediaId={} ({}-{}@{}): nothing to delete", Identifiers.quote(mediaId),
                    source.topic(), source.partition(), source.offset());
            return;
        }
        Outcome outcome;
        if (entry.status() == ItemStatus.DELETED && !entry.live()) {
            if (!entry.changedBy(source.partition(), source.offset())) {
                metrics.record(Outcome.TOMBSTONE_IGNORED, entry.modality());
                LOG.debug("Repeated tombstone for deleted mediaId={} ({}-{}@{}): ignored", mediaId, source.topic(),
                        source.partition(), source.offset());
                return;
            }
            outcome = Outcome.REPLAYED;
        } else {
            outcome = Outcome.DELETED;
        }
        if (entry.modality() != null && entry.modality() != Modality.UNKNOWN) {
            forwardTombstone(record, mediaId, entry.tenant(), entry.modality());
        }
        context.forward(new Record<>(mediaId, null, record.timestamp(), record.headers()), Nodes.CATALOG_SINK);
        if (outcome == Outcome.DELETED) {
            store.put(mediaId, entry.deleted(source.partition(), source.offset(), context.currentSystemTimeMs()));
        }
        metrics.record(outcome, entry.modality());
        LOG.debug("{} mediaId={} modality={} ({}-{}@{})", outcome, mediaId, entry.modality(), source.topic(),
                source.partition(), source.offset());
    }

    private void forwardTombstone(Record<byte[], byte[]> record, String mediaId, String tenant, Modality modality) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        DeadLetters.put(headers, CatalogHeaders.TENANT, tenant);
        DeadLetters.put(headers, CatalogHeaders.MODALITY, modality.name());
        context.forward(new Record<>(mediaId, null, record.timestamp(), headers), Nodes.routeSink(modality));
    }

    private void deadLetterPoisonPill(Record<byte[], byte[]> record, RecordMetadata source, PoisonPillException pill) {
        PoisonPillException located = pill.at(source.topic(), source.partition(), source.offset());
        context.forward(DeadLetters.of(record, source, RejectionReason.NOT_AVRO.name(), located.detail(), located,
                settings.serviceName()), Nodes.DLQ_SINK);
        metrics.deadLettered(RejectionReason.NOT_AVRO.name(), source.topic());
        metrics.record(Outcome.REJECTED, null);
        LOG.warn("Dead-lettered an undecodable record from {}-{}@{}: {}{}", source.topic(), source.partition(),
                source.offset(), located.detail(), located.getCause() == null ? "" : " (" + located.getCause() + ")");
    }

    /**
     * Dead-letters the record and, when it names an item the publisher owns (a valid mediaId equal to the key and a
     * valid tenant that owns the mediaId), records the failure in the status store and emits a FAILED MediaIndexed.
     */
    private void reject(Record<byte[], byte[]> record, RecordMetadata source, MediaArrived event, String key,
                        Rejection rejection) {
        MediaRejectedException exception = new MediaRejectedException(rejection.reason(), rejection.detail());
        context.forward(DeadLetters.of(record, source, rejection.reason().name(), rejection.message(), exception,
                settings.serviceName()), Nodes.DLQ_SINK);
        metrics.deadLettered(rejection.reason().name(), source.topic());
        metrics.record(Outcome.REJECTED, event == null ? null : event.getModality());
        LOG.warn("Rejected mediaId={} tenant={} from {}-{}@{}: {}",
                event == null ? Identifiers.quote(key) : Identifiers.quote(event.getMediaId()),
                event == null ? "?" : Identifiers.quote(event.getTenant()),
                source.topic(), source.partition(), source.offset(), rejection.message());
        if (event == null || key == null || rejection.reason() == RejectionReason.TENANT_MISMATCH
                || !key.equals(event.getMediaId()) || !Identifiers.isMediaId(key)
                || !Identifiers.isTenant(event.getTenant())) {
            return;
        }
        CatalogEntry entry = store.get(key);
        long now = context.currentSystemTimeMs();
        if (entry != null && entry.live()) {
            if (!entry.tenant().equals(event.getTenant())) {
                return; // another tenant's item: its status is not this publisher's to touch
            }
            store.put(key, entry.withRejection(rejection.reason().name(), rejection.message(), now));
        } else {
            store.put(key, CatalogEntry.rejected(key, event.getTenant(), event.getModality(),
                    event.getOccurredAt().toEpochMilli(), rejection.message(), now));
        }
        MediaIndexed failed = MediaIndexed.newBuilder()
                .setMediaId(key)
                .setTenant(event.getTenant())
                .setModality(event.getModality() == null ? Modality.UNKNOWN : event.getModality())
                .setModelName("")
                .setModelVersion(0)
                .setCollection("")
                .setSegments(0)
                .setStatus(IndexStatus.FAILED)
                .setError(rejection.message())
                .setArrivedAt(event.getOccurredAt())
                .setIndexedAt(Instant.ofEpochMilli(now))
                .build();
        RecordHeaders headers = new RecordHeaders();
        DeadLetters.put(headers, CatalogHeaders.ORIGIN, settings.serviceName());
        context.forward(new Record<>(key, failed, record.timestamp(), headers), Nodes.INDEXED_SINK);
    }

    /** Drops DELETED entries older than the retention, so the store does not grow with every item ever deleted. */
    private void purgeDeleted(long now) {
        long cutoff = now - settings.deletedRetention().toMillis();
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, CatalogEntry> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, CatalogEntry> next = all.next();
                CatalogEntry entry = next.value;
                if (entry != null && !entry.live() && entry.status() == ItemStatus.DELETED && entry.updatedAt() < cutoff) {
                    expired.add(next.key);
                }
            }
        }
        expired.forEach(store::delete);
        if (!expired.isEmpty()) {
            metrics.purged(expired.size());
            LOG.info("Purged {} deleted item(s) older than {}", expired.size(), settings.deletedRetention());
        }
    }
}
