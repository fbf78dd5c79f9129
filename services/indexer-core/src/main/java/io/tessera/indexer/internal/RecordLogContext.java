package io.tessera.indexer.internal;

import io.tessera.indexer.SourceRecord;
import org.slf4j.MDC;

/**
 * Puts a record's coordinates into the logging MDC ({@code mediaId}, {@code topic}, {@code partition},
 * {@code offset}) for the duration of one log call. Processing hops between threads (decode pool, batchers, the
 * writer), so the context is set around each line rather than once per record.
 */
public final class RecordLogContext {

    private RecordLogContext() {
    }

    public static void run(SourceRecord record, String mediaId, Runnable log) {
        try (MDC.MDCCloseable a = MDC.putCloseable("topic", record.topic());
             MDC.MDCCloseable b = MDC.putCloseable("partition", Integer.toString(record.partition()));
             MDC.MDCCloseable c = MDC.putCloseable("offset", Long.toString(record.offset()));
             MDC.MDCCloseable d = MDC.putCloseable("mediaId", mediaId == null ? record.keyString() : mediaId)) {
            log.run();
        }
    }
}
