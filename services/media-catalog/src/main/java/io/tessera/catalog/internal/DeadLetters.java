package io.tessera.catalog.internal;

import io.tessera.catalog.CatalogHeaders;
import io.tessera.serde.DeadLetterHeaders;
import io.tessera.serde.SpecificAvroDeserializer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Builds dead letters: the original key, value and headers, plus provenance headers (SmallRye's names). */
final class DeadLetters {

    private DeadLetters() {
    }

    /**
     * @param original the record as read (raw bytes)
     * @param source where it was read
     * @param reasonCode the machine-readable reason ({@link CatalogHeaders#REASON_CODE})
     * @param reason the explanation a person can act on
     * @param exception the exception that stands for the failure (its class and cause go into headers)
     * @param service the service name
     */
    static Record<byte[], byte[]> of(Record<byte[], byte[]> original, RecordMetadata source, String reasonCode,
                                     String reason, Throwable exception, String service) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : original.headers()) {
            if (!header.key().equals(SpecificAvroDeserializer.TRANSIENT_FAILURE_HEADER)) {
                headers.add(header.key(), header.value());
            }
        }
        put(headers, DeadLetterHeaders.REASON, reason);
        put(headers, CatalogHeaders.REASON_CODE, reasonCode);
        put(headers, DeadLetterHeaders.EXCEPTION_CLASS, exception.getClass().getName());
        Throwable cause = exception.getCause();
        if (cause != null) {
            put(headers, DeadLetterHeaders.CAUSE, String.valueOf(cause.getMessage()));
            put(headers, DeadLetterHeaders.CAUSE_CLASS, cause.getClass().getName());
        }
        put(headers, DeadLetterHeaders.TOPIC, source.topic());
        put(headers, DeadLetterHeaders.PARTITION, Integer.toString(source.partition()));
        put(headers, DeadLetterHeaders.OFFSET, Long.toString(source.offset()));
        put(headers, DeadLetterHeaders.SERVICE, service);
        return new Record<>(original.key(), original.value(), original.timestamp(), headers);
    }

    static String header(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }
}
