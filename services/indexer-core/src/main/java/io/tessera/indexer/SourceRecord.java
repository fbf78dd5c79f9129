package io.tessera.indexer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.header.Header;

/**
 * One record as it was read from a modality topic, bytes untouched: the pipeline deserialises it itself so that a
 * poison pill can be dead-lettered with exactly the bytes that arrived.
 *
 * @param key       the original key bytes (the mediaId in UTF-8), or null
 * @param value     the original value bytes, or null for a tombstone
 * @param timestamp the record's Kafka timestamp, epoch milliseconds
 */
public record SourceRecord(String topic, int partition, long offset, byte[] key, byte[] value, List<Header> headers,
                           long timestamp) {

    public SourceRecord {
        Objects.requireNonNull(topic, "topic");
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    /** The key as text (the mediaId by contract), or null when the record has none. */
    public String keyString() {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    public boolean isTombstone() {
        return value == null;
    }

    /** The last header with that name as UTF-8 text, or null. */
    public String header(String name) {
        String found = null;
        for (Header h : headers) {
            if (h.key().equals(name) && h.value() != null) {
                found = new String(h.value(), StandardCharsets.UTF_8);
            }
        }
        return found;
    }

    /** {@code topic-partition@offset}, the way every log line and DLQ header names the record. */
    public String location() {
        return topic + "-" + partition + "@" + offset;
    }
}
