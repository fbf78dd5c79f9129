package io.tessera.rollout;

import java.time.Duration;
import java.util.List;

/** Reads media.catalog from its beginning, for one backfill (Kafka: {@code RolloutKafka#catalog}). */
@FunctionalInterface
public interface CatalogSource {

    /** A cursor at the beginning of the catalog. */
    Cursor open();

    interface Cursor extends AutoCloseable {

        /**
         * The next records, in offset order per partition (so the latest version of an item comes last); empty
         * when none arrived within the timeout. Throws on a transient failure; the next call reads the same records.
         */
        List<CatalogEntry> poll(Duration timeout);

        /** Whether every record that is in the catalog now has been returned. */
        boolean caughtUp();

        /** Records in the catalog (an upper bound where compaction left gaps), as of the last {@link #caughtUp}. */
        long total();

        @Override
        void close();
    }
}
