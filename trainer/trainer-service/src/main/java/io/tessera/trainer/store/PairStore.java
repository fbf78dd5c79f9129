package io.tessera.trainer.store;

import io.tessera.events.CuratedPair;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainer's durable buffer of curated pairs: every pair the consumer acknowledges is first appended here
 * ({@link RecordLog}, synced), so offsets are committed only for pairs that survive a crash. Republishing a pairId
 * replaces the pair (the contract of {@code pairs.curated}); an identical redelivery (a crash between persisting and
 * committing) changes nothing and is not counted as new.
 *
 * <p>Each stored version of a pair gets a sequence number; a round remembers the highest sequence it trained on,
 * so "new pairs since the last round" survives restarts. Thread-safe.
 */
public final class PairStore implements Closeable {

    /** What {@link #put} did. */
    public enum Outcome { NEW, CHANGED, UNCHANGED }

    /** A stored pair: its Avro single-object bytes, where it was read from, and its sequence number. */
    public record StoredPair(String pairId, long sequence, int partition, long offset, byte[] avro) {
        public CuratedPair decode() {
            try {
                return CuratedPair.fromByteBuffer(ByteBuffer.wrap(avro));
            } catch (IOException e) {
                throw new UncheckedIOException("stored pair " + pairId + " does not decode: " + e.getMessage(), e);
            }
        }
    }

    private static final byte FORMAT = 1;
    /** Compact the log when it holds this many times more records than live pairs (and enough to bother). */
    private static final int COMPACT_FACTOR = 3;
    private static final int COMPACT_MIN_RECORDS = 1_000;

    private final Map<String, StoredPair> pairs = new LinkedHashMap<>();
    private final RecordLog log;
    private long nextSequence;

    private PairStore(Path file) {
        this.log = RecordLog.open(file, true, this::replay);
        compactIfWorthIt();
    }

    /** Opens (creating) the store in {@code dataDir/pairs.log}. */
    public static PairStore open(Path dataDir) {
        return new PairStore(dataDir.resolve("pairs.log"));
    }

    private void replay(byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(payload);
        if (b.get() != FORMAT) {
            throw new IllegalStateException("pairs.log record of unknown format " + payload[0]
                    + ": written by a newer trainer?");
        }
        long sequence = b.getLong();
        int partition = b.getInt();
        long offset = b.getLong();
        int idLength = b.getInt();
        byte[] id = new byte[idLength];
        b.get(id);
        byte[] avro = new byte[b.remaining()];
        b.get(avro);
        String pairId = new String(id, java.nio.charset.StandardCharsets.UTF_8);
        pairs.remove(pairId); // keeps the map in order of last change
        pairs.put(pairId, new StoredPair(pairId, sequence, partition, offset, avro));
        nextSequence = Math.max(nextSequence, sequence + 1);
    }

    /**
     * Persists a pair read from {@code partition}/{@code offset}; returns once it is on disk.
     */
    public synchronized Outcome put(CuratedPair pair, int partition, long offset) {
        String pairId = pair.getPairId();
        byte[] avro;
        try {
            ByteBuffer bb = pair.toByteBuffer();
            avro = new byte[bb.remaining()];
            bb.get(avro);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode pair " + pairId, e);
        }
        StoredPair existing = pairs.get(pairId);
        if (existing != null && Arrays.equals(existing.avro(), avro)) {
            return Outcome.UNCHANGED;
        }
        StoredPair stored = new StoredPair(pairId, nextSequence++, partition, offset, avro);
        log.append(encode(stored));
        pairs.remove(pairId);
        pairs.put(pairId, stored);
        compactIfWorthIt();
        return existing == null ? Outcome.NEW : Outcome.CHANGED;
    }

    private static byte[] encode(StoredPair p) {
        byte[] id = p.pairId().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 4 + 8 + 4 + id.length + p.avro().length);
        b.put(FORMAT).putLong(p.sequence()).putInt(p.partition()).putLong(p.offset()).putInt(id.length).put(id)
                .put(p.avro());
        return b.array();
    }

    private void compactIfWorthIt() {
        if (log.records() >= COMPACT_MIN_RECORDS && log.records() > (long) COMPACT_FACTOR * pairs.size()) {
            List<byte[]> live = new ArrayList<>(pairs.size());
            for (StoredPair p : pairs.values()) {
                live.add(encode(p));
            }
            log.rewrite(live);
        }
    }

    /** The current version of every pair, in order of last change. */
    public synchronized List<StoredPair> snapshot() {
        return List.copyOf(pairs.values());
    }

    public synchronized int size() {
        return pairs.size();
    }

    /** Pairs whose current version was stored after {@code sequence} (a round's high-water mark; -1 for all). */
    public synchronized int countAfter(long sequence) {
        int n = 0;
        for (StoredPair p : pairs.values()) {
            if (p.sequence() > sequence) {
                n++;
            }
        }
        return n;
    }

    /** The highest sequence stored so far, -1 when empty. */
    public synchronized long highWaterMark() {
        return nextSequence - 1;
    }

    /** Bytes of a torn tail dropped at open (a crash mid-write), for the log. */
    public long truncatedBytes() {
        return log.truncatedBytes();
    }

    @Override
    public synchronized void close() {
        log.close();
    }
}
