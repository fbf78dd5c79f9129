package io.tessera.media.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Hex sha256 of bytes, and the check that a publisher's checksum is one. */
public final class Sha256 {

    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private Sha256() {
    }

    public static String hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public static boolean isHexSha256(String s) {
        return HEX_SHA256.matcher(s).matches();
    }
}
