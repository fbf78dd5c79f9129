package io.tessera.media.internal;

/**
 * Walks a JPEG's marker segments to tell whether its data reaches the EOI marker.
 *
 * <p>Hand-written because ImageIO cannot be relied on for this: a JPEG cut off mid-scan decodes "successfully"
 * with the missing rows filled in grey, and the reader's warning for it depends on the plug-in. Segments before
 * the scan are skipped by their length (so an EXIF thumbnail's own EOI is not mistaken for ours); inside
 * entropy-coded data a marker is an 0xFF not followed by 0x00 (stuffing) or RST0-7.
 */
final class JpegStructure {

    private JpegStructure() {
    }

    static boolean isJpeg(byte[] b) {
        return b.length >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF;
    }

    /** Whether the bytes contain a complete marker structure ending in EOI; false also for a segment cut short. */
    static boolean reachesEndOfImage(byte[] b) {
        int n = b.length;
        int i = 2;
        while (i + 1 < n) {
            if ((b[i] & 0xff) != 0xFF) {
                return false; // garbage where a marker must be: the decoder reports what is wrong
            }
            while (i + 1 < n && (b[i + 1] & 0xff) == 0xFF) {
                i++; // fill bytes
            }
            if (i + 1 >= n) {
                return false;
            }
            int marker = b[i + 1] & 0xff;
            if (marker == 0xD9) {
                return true;
            }
            if (marker == 0x01 || marker >= 0xD0 && marker <= 0xD7) {
                i += 2;
                continue;
            }
            if (i + 3 >= n) {
                return false;
            }
            int length = (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
            int next = i + 2 + length;
            if (length < 2 || next > n) {
                return false;
            }
            i = next;
            if (marker == 0xDA) {
                while (i + 1 < n) {
                    if ((b[i] & 0xff) == 0xFF) {
                        int following = b[i + 1] & 0xff;
                        if (following == 0x00 || following >= 0xD0 && following <= 0xD7 || following == 0xFF) {
                            i += following == 0xFF ? 1 : 2;
                            continue;
                        }
                        break; // the next marker: DHT/SOS of a progressive scan, or EOI
                    }
                    i++;
                }
            }
        }
        return false;
    }
}
