package io.tessera.catalog.internal;

import io.tessera.events.ContentReference;
import io.tessera.events.InlineBytes;
import io.tessera.events.InlineText;
import io.tessera.events.MediaArrived;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * What makes two publications of an item "the same": a SHA-256 over the content and everything an indexer writes
 * from the record. Equal fingerprints mean a re-publish is a no-op; different ones mean an update.
 *
 * <ul>
 *   <li>content: the SHA-256 of inline bytes or of inline text (UTF-8); for a reference, its uri, declared
 *       sizeBytes and declared sha256 (the bytes behind a URI are not fetched here, so a publisher who replaces the
 *       bytes behind an unchanged URI must change the declared sha256 or the URI for the change to count);</li>
 *   <li>modality, contentType, instruction and attributes, because the indexers embed with the instruction and store
 *       the attributes with the vectors: changing them must reach Milvus;</li>
 *   <li>not occurredAt: the same item published again later is still the same item.</li>
 * </ul>
 * Every field is written with its length first, so no two different records can produce the same byte stream.
 */
public final class ContentFingerprint {

    private ContentFingerprint() {
    }

    public static String of(MediaArrived event) {
        MessageDigest digest = sha256();
        put(digest, "tessera-media-fingerprint-v1");
        put(digest, event.getModality().name());
        put(digest, event.getContentType());
        put(digest, event.getInstruction());
        Map<String, String> attributes = new TreeMap<>(event.getAttributes() == null ? Map.of() : event.getAttributes());
        put(digest, Integer.toString(attributes.size()));
        attributes.forEach((name, value) -> {
            put(digest, name);
            put(digest, value);
        });
        Object content = event.getContent();
        if (content instanceof InlineBytes inline) {
            put(digest, "bytes");
            put(digest, contentHash(inline.getData()));
        } else if (content instanceof InlineText inline) {
            put(digest, "text");
            put(digest, contentHash(ByteBuffer.wrap(inline.getText().getBytes(StandardCharsets.UTF_8))));
        } else if (content instanceof ContentReference reference) {
            put(digest, "reference");
            put(digest, reference.getUri());
            put(digest, reference.getSizeBytes() == null ? null : Long.toString(reference.getSizeBytes()));
            put(digest, reference.getSha256() == null ? null : reference.getSha256().toLowerCase(java.util.Locale.ROOT));
        } else {
            throw new IllegalArgumentException("Unknown content kind " + (content == null ? "null" : content.getClass()));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Lower-case hex SHA-256 of the bytes between the buffer's position and limit (the buffer is not moved). */
    static String contentHash(ByteBuffer data) {
        MessageDigest digest = sha256();
        digest.update(data.duplicate());
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void put(MessageDigest digest, String value) {
        if (value == null) {
            digest.update((byte) 0);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        digest.update((byte) 1);
        digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(0, bytes.length));
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
