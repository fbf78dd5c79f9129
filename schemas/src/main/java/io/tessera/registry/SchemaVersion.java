package io.tessera.registry;

import java.util.Objects;
import org.apache.avro.Schema;

/** One version of a subject: its number within the subject, its global id and the schema. */
public record SchemaVersion(String subject, int version, int id, Schema schema) {

    public SchemaVersion {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
    }
}
