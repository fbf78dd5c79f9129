package io.tessera.trainer.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * An append-only file of framed records ({@code [length:int][crc32c:int][payload]}), flushed to the device before
 * {@link #append} returns, so that whatever a caller acknowledged after appending survives a crash. On open, the
 * records are replayed in order; a torn tail (a record cut short or with a wrong checksum, what a crash in the middle
 * of a write leaves) is truncated away, since its writer was never told it had been stored.
 *
 * <p>Hand-written because the trainer needs nothing more than this and an embedded database would be a large
 * dependency for a few thousand small records. Not thread-safe: callers serialise appends.
 */
public final class RecordLog implements Closeable {

    private static final int HEADER = 8;
    /** A record larger than this is refused on write and treated as corruption on read. */
    public static final int MAX_RECORD_BYTES = 64 << 20;

    private final Path file;
    private final boolean sync;
    private FileChannel channel;
    private long records;
    private long truncatedBytes;

    private RecordLog(Path file, boolean sync) {
        this.file = file;
        this.sync = sync;
    }

    /**
     * Opens (creating) the log and replays its records into {@code replay}.
     *
     * @param sync force every append to the device (true for data whose loss matters; false for caches)
     */
    public static RecordLog open(Path file, boolean sync, Consumer<byte[]> replay) {
        RecordLog log = new RecordLog(file, sync);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            log.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            long valid = log.replay(replay);
            long size = log.channel.size();
            if (valid < size) {
                log.truncatedBytes = size - valid;
                log.channel.truncate(valid);
                log.channel.force(true);
            }
            log.channel.position(valid);
        } catch (IOException e) {
            log.closeQuietly();
            throw new UncheckedIOException("cannot open record log " + file + ": " + e.getMessage(), e);
        }
        return log;
    }

    private long replay(Consumer<byte[]> replay) throws IOException {
        long position = 0;
        long size = channel.size();
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        while (position + HEADER <= size) {
            header.clear();
            readFully(header, position);
            header.flip();
            int length = header.getInt();
            int crc = header.getInt();
            if (length < 0 || length > MAX_RECORD_BYTES || position + HEADER + length > size) {
                break;
            }
            ByteBuffer body = ByteBuffer.allocate(length);
            readFully(body, position + HEADER);
            byte[] payload = body.array();
            if (crc(payload) != crc) {
                break;
            }
            replay.accept(payload);
            records++;
            position += HEADER + length;
        }
        return position;
    }

    private void readFully(ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("unexpected end of " + file);
            }
            at += n;
        }
    }

    /** Appends one record and, for a synced log, forces it to the device. */
    public void append(byte[] payload) {
        if (payload.length > MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("record of " + payload.length + " bytes exceeds the limit of "
                    + MAX_RECORD_BYTES);
        }
        ByteBuffer buffer = ByteBuffer.allocate(HEADER + payload.length);
        buffer.putInt(payload.length).putInt(crc(payload)).put(payload).flip();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (sync) {
                channel.force(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
        }
        records++;
    }

    /**
     * Replaces the whole log with {@code payloads} (written beside it, synced, then renamed over it): how a log of
     * superseded records is compacted without a moment where a crash would lose the live ones.
     */
    public void rewrite(List<byte[]> payloads) {
        Path tmp = file.resolveSibling(file.getFileName() + ".rewrite");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (byte[] p : payloads) {
                ByteBuffer buffer = ByteBuffer.allocate(HEADER + p.length);
                buffer.putInt(p.length).putInt(crc(p)).put(p).flip();
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
            out.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compact " + file + ": " + e.getMessage(), e);
        }
        try {
            channel.close();
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            channel.position(channel.size());
            records = payloads.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace " + file + " with its compacted copy: " + e.getMessage(), e);
        }
    }

    /** Records in the log. */
    public long records() {
        return records;
    }

    /** Bytes of a torn tail dropped when the log was opened (0 after a clean shutdown). */
    public long truncatedBytes() {
        return truncatedBytes;
    }

    public Path file() {
        return file;
    }

    private static int crc(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        return (int) crc.getValue();
    }

    private void closeQuietly() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // Already failing: the original error is the one worth reporting.
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        }
    }

    /** Reads every valid record of a log file without keeping it open (tools and tests). */
    public static List<byte[]> readAll(Path file) {
        List<byte[]> out = new ArrayList<>();
        try (RecordLog log = open(file, false, out::add)) {
            return out;
        }
    }
}
