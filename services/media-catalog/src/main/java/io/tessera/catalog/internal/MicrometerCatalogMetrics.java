package io.tessera.catalog.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tessera.catalog.CatalogMetrics;
import io.tessera.events.IndexStatus;
import io.tessera.events.Modality;
import java.util.Locale;

/**
 * The catalog's counters in Micrometer (Prometheus names in brackets):
 * <ul>
 *   <li>{@code tessera.catalog.records} [tessera_catalog_records_total] {outcome, modality}: every media.arrived
 *       record by what became of it (accepted, updated, deduplicated, deleted, replayed, tombstone_ignored, rejected);
 *       accepted + updated + deleted + replayed per modality is what was routed;</li>
 *   <li>{@code tessera.catalog.dlq} [tessera_catalog_dlq_total] {reason, topic}: dead letters by reason code;</li>
 *   <li>{@code tessera.catalog.status.events} [tessera_catalog_status_events_total] {status, result}: media.indexed
 *       events applied to the status store or skipped (result = applied or the reason);</li>
 *   <li>{@code tessera.catalog.purged} [tessera_catalog_purged_total]: deleted entries dropped after their retention.</li>
 * </ul>
 */
public final class MicrometerCatalogMetrics implements CatalogMetrics {

    private final MeterRegistry registry;

    public MicrometerCatalogMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void record(Outcome outcome, Modality modality) {
        registry.counter("tessera.catalog.records", "outcome", outcome.name().toLowerCase(Locale.ROOT),
                "modality", modality == null ? "none" : modality.name().toLowerCase(Locale.ROOT)).increment();
    }

    @Override
    public void deadLettered(String reasonCode, String sourceTopic) {
        registry.counter("tessera.catalog.dlq", "reason", reasonCode, "topic", sourceTopic).increment();
    }

    @Override
    public void statusEvent(IndexStatus status, String skipReason) {
        registry.counter("tessera.catalog.status.events", "status",
                status == null ? "none" : status.name().toLowerCase(Locale.ROOT),
                "result", skipReason == null ? "applied" : skipReason).increment();
    }

    @Override
    public void purged(int entries) {
        Counter.builder("tessera.catalog.purged").register(registry).increment(entries);
    }
}
