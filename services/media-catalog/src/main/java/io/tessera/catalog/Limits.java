package io.tessera.catalog;

/**
 * Bounds on everything a publisher controls in a {@code MediaArrived} record. A record over any of them is rejected
 * (dead-lettered with the limit it broke) before it reaches an indexer.
 *
 * @param maxRecordBytes the serialized record as read from Kafka; keeps every output (routed copy, catalog, DLQ)
 *                       under the producer's {@code max.request.size}
 * @param maxInlineBytes inline media bytes
 * @param maxReferenceBytes the declared {@code sizeBytes} of a referenced item
 * @param maxTextChars inline text, in Unicode code points
 * @param maxInstructionChars the optional task instruction, in code points
 * @param maxAttributes how many attributes an item may carry
 * @param maxAttributeKeyChars the length of an attribute's name
 * @param maxAttributeValueChars the length of an attribute's value
 * @param maxUriChars the length of a reference's URI
 */
public record Limits(long maxRecordBytes, long maxInlineBytes, long maxReferenceBytes, int maxTextChars,
                     int maxInstructionChars, int maxAttributes, int maxAttributeKeyChars, int maxAttributeValueChars,
                     int maxUriChars) {

    /** 9 MiB: under the 10 MiB the local broker and the service's producer accept, with room for headers. */
    public static final long DEFAULT_MAX_RECORD_BYTES = 9L * 1024 * 1024;
    public static final long DEFAULT_MAX_INLINE_BYTES = 8L * 1024 * 1024;
    public static final long DEFAULT_MAX_REFERENCE_BYTES = 2L * 1024 * 1024 * 1024;
    public static final int DEFAULT_MAX_TEXT_CHARS = 1_000_000;
    public static final int DEFAULT_MAX_INSTRUCTION_CHARS = 1_024;
    public static final int DEFAULT_MAX_ATTRIBUTES = 64;
    public static final int DEFAULT_MAX_ATTRIBUTE_KEY_CHARS = 128;
    public static final int DEFAULT_MAX_ATTRIBUTE_VALUE_CHARS = 4_096;
    public static final int DEFAULT_MAX_URI_CHARS = 4_096;

    public Limits {
        positive(maxRecordBytes, "max-record-bytes");
        positive(maxInlineBytes, "max-inline-bytes");
        positive(maxReferenceBytes, "max-reference-bytes");
        positive(maxTextChars, "max-text-chars");
        positive(maxInstructionChars, "max-instruction-chars");
        if (maxAttributes < 0) {
            throw new IllegalArgumentException("tessera.limits.max-attributes must be 0 or more, was " + maxAttributes);
        }
        positive(maxAttributeKeyChars, "max-attribute-key-chars");
        positive(maxAttributeValueChars, "max-attribute-value-chars");
        positive(maxUriChars, "max-uri-chars");
        if (maxInlineBytes > maxRecordBytes) {
            throw new IllegalArgumentException("tessera.limits.max-inline-bytes (" + maxInlineBytes
                    + ") is larger than tessera.limits.max-record-bytes (" + maxRecordBytes
                    + "): no record could carry that much; lower it or raise max-record-bytes");
        }
    }

    public static Limits defaults() {
        return new Limits(DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_INLINE_BYTES, DEFAULT_MAX_REFERENCE_BYTES,
                DEFAULT_MAX_TEXT_CHARS, DEFAULT_MAX_INSTRUCTION_CHARS, DEFAULT_MAX_ATTRIBUTES,
                DEFAULT_MAX_ATTRIBUTE_KEY_CHARS, DEFAULT_MAX_ATTRIBUTE_VALUE_CHARS, DEFAULT_MAX_URI_CHARS);
    }

    private static void positive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException("tessera.limits." + name + " must be greater than 0, was " + value);
        }
    }
}
