package io.tessera.trainer.kafka;

import io.tessera.events.MediaArrived;
import io.tessera.trainer.features.CatalogEntry;
import io.tessera.trainer.features.CatalogLookup;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The compacted {@code media.catalog} topic as a local lookup by mediaId (a tombstone removes the item). Rebuilt from
 * the topic at every start; pairs whose items it has not seen yet are deferred to a later round, not dropped.
 */
public final class CatalogTable implements CatalogLookup, AutoCloseable {

    private final Map<String, CatalogEntry> entries = new ConcurrentHashMap<>();
    private final CompactedTopicReader<MediaArrived> reader;

    private final EndOffsets endOffsets;

    public CatalogTable(io.tessera.events.KafkaConnection kafka, String topic, Deserializer<MediaArrived> values, EndOffsets endOffsets) {
        this.endOffsets = endOffsets;
        this.reader = new CompactedTopicReader<>(kafka, topic, values, this::apply, "trainer-catalog-reader");
        reader.start();
    }

    private void apply(String mediaId, MediaArrived value) {
        if (mediaId == null) {
            return;
        }
        if (value == null) {
            entries.remove(mediaId);
        } else {
            entries.put(mediaId, CatalogEntry.of(value));
        }
    }

    @Override
    public Optional<CatalogEntry> find(String mediaId) {
        return Optional.ofNullable(entries.get(mediaId));
    }

    @Override
    public void catchUp(java.time.Duration timeout) {
        try {
            reader.awaitCaughtUp(timeout, endOffsets.of(reader.topic(), timeout));
        } catch (java.util.concurrent.TimeoutException e) {
            // Not fatal: pairs whose items are not visible yet are deferred to the next round.
            org.jboss.logging.Logger.getLogger(CatalogTable.class).warn(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public int size() {
        return entries.size();
    }

    @Override
    public void close() {
        reader.close();
    }
}
