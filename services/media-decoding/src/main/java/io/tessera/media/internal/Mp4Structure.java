package io.tessera.media.internal;

import java.nio.charset.StandardCharsets;

/**
 * Top-level box walk of an ISO-BMFF file (MP4, MOV, 3GP), to tell a cut-off upload from a damaged one before
 * FFmpeg sees it: FFmpeg only says "could not open" for an MP4 whose moov box is missing. Hand-written because
 * it is eight lines of arithmetic and no library we ship exposes it.
 */
final class Mp4Structure {

    private Mp4Structure() {
    }

    static boolean isIsoBmff(byte[] b) {
        return b.length >= 12 && "ftyp".equals(new String(b, 4, 4, StandardCharsets.ISO_8859_1));
    }

    /** True when a top-level box declares more bytes than the file has left. */
    static boolean isTruncated(byte[] b) {
        long i = 0;
        long n = b.length;
        while (i + 8 <= n) {
            long size = u32(b, (int) i);
            if (size == 1) {
                if (i + 16 > n) {
                    return true;
                }
                size = u32(b, (int) i + 8) << 32 | u32(b, (int) i + 12);
            } else if (size == 0) {
                return false; // "extends to the end of the file"
            }
            if (size < 8) {
                return false; // damaged, not truncated: FFmpeg will say what it makes of it
            }
            if (i + size > n) {
                return true;
            }
            i += size;
        }
        return false;
    }

    private static long u32(byte[] b, int i) {
        return (b[i] & 0xffL) << 24 | (b[i + 1] & 0xffL) << 16 | (b[i + 2] & 0xffL) << 8 | (b[i + 3] & 0xffL);
    }
}
