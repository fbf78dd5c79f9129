package io.tessera.catalog;

/**
 * Why media-catalog turned a record away. The name is the DLQ's {@link CatalogHeaders#REASON_CODE} header and the
 * {@code reason} tag of the {@code tessera.catalog.dlq} metric; the human explanation is the
 * {@code dead-letter-reason} header and the FAILED event's error.
 */
public enum RejectionReason {
    /** The value is not a readable Avro record in the Confluent wire format (bad magic byte, unknown schema id, ...). */
    NOT_AVRO,
    /** The serialized record is larger than {@code tessera.limits.max-record-bytes}. */
    RECORD_TOO_LARGE,
    /** The Kafka key is missing or empty (the key must be the mediaId). */
    MISSING_KEY,
    /** The key is not valid UTF-8, or differs from the record's mediaId. */
    KEY_MISMATCH,
    /** The mediaId is empty, too long or has characters outside the allowed set. */
    INVALID_MEDIA_ID,
    /** The tenant is empty, too long or has characters outside the allowed set. */
    INVALID_TENANT,
    /** The item's mediaId already belongs to another tenant. */
    TENANT_MISMATCH,
    /** The modality is UNKNOWN (written by a newer publisher this service does not know). */
    UNKNOWN_MODALITY,
    /** The contentType is not a {@code type/subtype} media type. */
    INVALID_CONTENT_TYPE,
    /** The contentType is not one accepted for the modality (for example video/mp4 on an IMAGE). */
    CONTENT_TYPE_MISMATCH,
    /** Inline text sent for a modality that is not TEXT. */
    CONTENT_KIND_MISMATCH,
    /** Inline bytes or text with nothing in them. */
    EMPTY_CONTENT,
    /** Inline bytes, or a reference's declared size, over the configured limit. */
    CONTENT_TOO_LARGE,
    /** Inline text over {@code tessera.limits.max-text-chars}. */
    TEXT_TOO_LONG,
    /** A reference whose URI, size or sha256 is malformed. */
    INVALID_REFERENCE,
    /** A reference whose URI scheme is not in {@code tessera.catalog.reference-schemes}. */
    UNSUPPORTED_URI_SCHEME,
    /** The instruction is longer than {@code tessera.limits.max-instruction-chars}. */
    INSTRUCTION_TOO_LONG,
    /** Too many attributes, or an attribute name or value too long. */
    ATTRIBUTES_TOO_LARGE,
    /** occurredAt is not a positive epoch-millisecond timestamp. */
    INVALID_TIMESTAMP
}
