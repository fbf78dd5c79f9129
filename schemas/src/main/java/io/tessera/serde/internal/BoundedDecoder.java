package io.tessera.serde.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * A binary decoder that checks string and bytes lengths against the size of the record before allocating.
 *
 * <p>Avro's {@link BinaryDecoder} allocates a string or bytes value of the length the data claims before it finds
 * out that the data is shorter (Avro 1.12; its only guard is a JVM-wide system property). A garbage record claiming
 * a 2 GB string would make every consumer allocate 2 GB, or die of OutOfMemoryError. No value can be longer than
 * the record it is in, so that is the bound here; everything else is delegated unchanged.
 */
public final class BoundedDecoder extends Decoder {

    private final BinaryDecoder in;
    private final int maxLength;

    public BoundedDecoder(BinaryDecoder in, int recordLength) {
        this.in = in;
        this.maxLength = recordLength;
    }

    /** Whether every byte of the record has been read. */
    public boolean isEnd() throws IOException {
        return in.isEnd();
    }

    private int length() throws IOException {
        long length = in.readLong();
        if (length < 0 || length > maxLength) {
            throw new EOFException("A value claims " + length + " bytes in a record of " + maxLength + " bytes");
        }
        return (int) length;
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int length = length();
        Utf8 result = old != null ? old : new Utf8();
        result.setByteLength(length);
        if (length > 0) {
            in.readFixed(result.getBytes(), 0, length);
        }
        return result;
    }

    @Override
    public String readString() throws IOException {
        int length = length();
        if (length == 0) {
            return "";
        }
        byte[] bytes = new byte[length];
        in.readFixed(bytes, 0, length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int length = length();
        ByteBuffer result = old != null && old.capacity() >= length ? old.clear() : ByteBuffer.allocate(length);
        in.readFixed(result.array(), result.arrayOffset(), length);
        result.limit(length);
        return result;
    }

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public void skipString() throws IOException {
        in.skipString();
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipBytes();
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public long readArrayStart() throws IOException {
        return in.readArrayStart();
    }

    @Override
    public long arrayNext() throws IOException {
        return in.arrayNext();
    }

    @Override
    public long skipArray() throws IOException {
        return in.skipArray();
    }

    @Override
    public long readMapStart() throws IOException {
        return in.readMapStart();
    }

    @Override
    public long mapNext() throws IOException {
        return in.mapNext();
    }

    @Override
    public long skipMap() throws IOException {
        return in.skipMap();
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }
}
