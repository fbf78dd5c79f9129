package io.tessera.catalog.client;

import io.tessera.events.KafkaConnection;
import io.tessera.events.MediaArrived;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;

/** media.catalog read from its beginning, record by record, tombstones and unreadable values included: a backfill. */
public interface CatalogCursor extends AutoCloseable {

    /**
     * A cursor at the beginning of the catalog, reading on its own thread ahead of {@link #poll} (a few hundred
     * records at most).
     *
     * @param values reads {@link MediaArrived}; the cursor owns it and closes it
     */
    static CatalogCursor open(KafkaConnection kafka, String topic, String clientId, Deserializer<MediaArrived> values) {
        return new QueuedCatalogCursor(handler -> new CompactedTopicReader(kafka, topic, clientId, handler), values);
    }

    /**
     * The next records, in offset order per partition (so the latest version of an item comes last); empty when none
     * arrived within the timeout.
     */
    List<CatalogEntry> poll(Duration timeout);

    /** Whether every record that is in the catalog now has been returned. */
    boolean caughtUp();

    /** Records in the catalog (an upper bound where compaction left gaps), as of the last {@link #caughtUp}. */
    long total();

    @Override
    void close();
}
