package io.tessera.demo.dataset.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Independent, named random streams derived from the dataset seed, so that one part of the dataset (say the
 * videos) does not shift when another part draws more or fewer numbers. {@link Random} is used because its
 * algorithm is fixed by its specification: the same seed gives the same dataset on every JDK.
 */
public final class Seeds {

    private Seeds() {
    }

    public static Random stream(long seed, String label) {
        return new Random(derive(seed, label));
    }

    public static long derive(long seed, String label) {
        long h = seed;
        for (byte b : label.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ (b & 0xFF));
        }
        return mix(h);
    }

    /** SplitMix64's finaliser: spreads nearby seeds and labels far apart. */
    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    public static <T> T pick(Random random, T[] values) {
        return values[random.nextInt(values.length)];
    }
}
