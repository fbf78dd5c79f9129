package io.tessera.trainer.round;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Puts every pair on the training or the validation side by a hash of its pairId alone, so the side never changes:
 * not across rounds, restarts, partitions or machines, and not when more pairs arrive. (SHA-256 rather than
 * {@code String.hashCode}, whose low bits are poorly mixed for ids that share a prefix and differ in a counter.)
 *
 * @param validationFraction the share of pairs held out for validation, in [0, 1)
 */
public record PairSplit(double validationFraction) {

    public PairSplit {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("tessera.trainer.validation-fraction must be in [0, 1), got "
                    + validationFraction);
        }
    }

    public boolean isValidation(String pairId) {
        return unitInterval(pairId) < validationFraction;
    }

    /** The pairId's position in [0, 1): the top 53 bits of its SHA-256. */
    static double unitInterval(String pairId) {
        byte[] h;
        try {
            h = MessageDigest.getInstance("SHA-256").digest(pairId.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = (bits << 8) | (h[i] & 0xff);
        }
        return (bits >>> 11) * 0x1.0p-53;
    }
}
