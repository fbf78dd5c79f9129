package io.tessera.media.internal;

import io.tessera.media.MediaRejectedException;
import io.tessera.media.RejectReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads a stream to its end, failing as soon as it passes a byte limit (never buffering more than the limit). */
final class BoundedRead {

    private BoundedRead() {
    }

    static byte[] readAll(InputStream in, long maxBytes, String origin) throws IOException, MediaRejectedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            total += n;
            if (total > maxBytes) {
                throw new MediaRejectedException(RejectReason.TOO_LARGE,
                        origin + " has more than the limit of " + maxBytes + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
