package io.tessera.indexer;

import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.header.Header;

/**
 * A record for the dead-letter topic: the original key and value bytes and headers, plus the provenance headers of
 * {@link io.tessera.serde.DeadLetterHeaders} and {@link IndexerHeaders#REASON_CODE}.
 */
public record DeadLetter(String topic, byte[] key, byte[] value, List<Header> headers) {

    public DeadLetter {
        Objects.requireNonNull(topic, "topic");
        headers = List.copyOf(headers);
    }

    public String header(String name) {
        String found = null;
        for (Header h : headers) {
            if (h.key().equals(name) && h.value() != null) {
                found = new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return found;
    }
}
