package io.tessera.trainer.features;

import io.tessera.trainer.store.RecordLog;
import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Backbone features by content hash, kept on disk so a restart (or the next round) does not decode and run the
 * backbone again. One cache per backbone: {@code <dir>/<fingerprint>/features.log}, where the fingerprint identifies
 * the frozen backbone (see {@link FeatureExtractor#backboneFingerprint}); a model whose backbone differs gets a fresh
 * cache instead of stale features. Appends are not synced: losing the tail of a cache costs only recomputation.
 * Thread-safe.
 */
public final class FeatureCache implements Closeable {

    private final Map<String, float[]> features = new HashMap<>();
    private final RecordLog log;
    private long hits;
    private long misses;

    private FeatureCache(Path file) {
        this.log = RecordLog.open(file, false, this::replay);
    }

    public static FeatureCache open(Path cacheDir, String backboneFingerprint) {
        return new FeatureCache(cacheDir.resolve(backboneFingerprint).resolve("features.log"));
    }

    private void replay(byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(payload);
        byte[] id = new byte[b.getInt()];
        b.get(id);
        float[] f = new float[b.getInt()];
        b.asFloatBuffer().get(f);
        features.put(new String(id, StandardCharsets.UTF_8), f);
    }

    private static String id(String tower, String key) {
        return tower + '\u0000' + key;
    }

    /** The cached features of an item of {@code tower} with content key {@code key}, or null. */
    public synchronized float[] get(String tower, String key) {
        float[] f = features.get(id(tower, key));
        if (f == null) {
            misses++;
        } else {
            hits++;
        }
        return f;
    }

    /**
     * Stores features unless the key has some already, and returns the ones that count: the first computed wins, so
     * an item has exactly one vector even when it was computed twice (in two batches, whose floats may differ in the
     * last bits).
     */
    public synchronized float[] put(String tower, String key, float[] values) {
        String id = id(tower, key);
        float[] existing = features.get(id);
        if (existing != null) {
            return existing;
        }
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + idBytes.length + 4 + 4 * values.length);
        b.putInt(idBytes.length).put(idBytes).putInt(values.length);
        b.asFloatBuffer().put(values);
        log.append(b.array());
        float[] copy = values.clone();
        features.put(id, copy);
        return copy;
    }

    public synchronized int size() {
        return features.size();
    }

    public synchronized long hits() {
        return hits;
    }

    public synchronized long misses() {
        return misses;
    }

    @Override
    public synchronized void close() {
        log.close();
    }
}
