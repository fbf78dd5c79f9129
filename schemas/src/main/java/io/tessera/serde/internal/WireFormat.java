package io.tessera.serde.internal;

/**
 * The Confluent wire format: magic byte 0, the schema id as a 4-byte big-endian int, then the Avro binary body.
 * Hand-written because Confluent's serializer jars are not on Maven Central; the layout is five bytes.
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0x0;
    public static final int HEADER_LENGTH = 5;

    private WireFormat() {
    }

    public static void writeHeader(byte[] target, int schemaId) {
        target[0] = MAGIC_BYTE;
        target[1] = (byte) (schemaId >>> 24);
        target[2] = (byte) (schemaId >>> 16);
        target[3] = (byte) (schemaId >>> 8);
        target[4] = (byte) schemaId;
    }

    public static int readSchemaId(byte[] record) {
        return ((record[1] & 0xff) << 24) | ((record[2] & 0xff) << 16) | ((record[3] & 0xff) << 8) | (record[4] & 0xff);
    }
}
