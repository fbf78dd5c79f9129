package io.tessera.search;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The opaque {@code cursor} of paged searches: {@code base64url(JSON) "." base64url(HMAC-SHA256 of it)}, the JSON
 * holding the next page's offset, the collection the first page searched, a digest of everything that defines the
 * search ({@link #binding}), and for zscore fusion the per-modality calibration the first page used, so that every
 * page ranks with the same scores and no hit repeats or goes missing between pages.
 *
 * <p>A cursor grants nothing: the tenant is always the API key's, and the digest must match the request it comes
 * with. The MAC makes an edited or truncated cursor a clear 400 instead of a silently different page; with
 * {@code tessera.search.cursor-secret} set (the same on every replica) it also cannot be forged. Without it the key
 * is a fixed, public one, so cursors survive restarts and work across replicas.
 */
public final class PageCursors {

    /** Longer cursors are refused before any decoding. */
    public static final int MAX_CURSOR_CHARS = 2048;
    static final int VERSION = 1;
    private static final String DEFAULT_KEY = "tessera-search-cursor-v1";
    private static final int MAC_BYTES = 16;

    /**
     * What a cursor holds.
     *
     * @param offset      0-based rank of the first hit of the page it asks for
     * @param collection  the collection the first page searched (a model version); a cursor of another one is stale
     * @param binding     {@link #binding} of the search
     * @param calibration per modality, the mean and spread zscore fusion standardised with; null otherwise
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cursor(@JsonProperty("v") int version, @JsonProperty("o") int offset,
                         @JsonProperty("c") String collection, @JsonProperty("b") String binding,
                         @JsonProperty("z") Map<String, double[]> calibration) {
    }

    private final byte[] key;
    private final ObjectMapper json = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private PageCursors(byte[] key) {
        this.key = key;
    }

    /** @param secret {@code tessera.search.cursor-secret}; empty for the built-in key */
    public static PageCursors withSecret(Optional<String> secret) {
        String s = secret.filter(v -> !v.isBlank()).orElse(DEFAULT_KEY);
        if (secret.isPresent() && !secret.get().isBlank() && s.length() < 16) {
            throw new IllegalArgumentException("tessera.search.cursor-secret must have at least 16 characters");
        }
        return new PageCursors(s.getBytes(StandardCharsets.UTF_8));
    }

    public String encode(Cursor cursor) {
        try {
            byte[] payload = json.writeValueAsBytes(cursor);
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            return b64.encodeToString(payload) + "." + b64.encodeToString(mac(payload));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a cursor", e);
        }
    }

    /** @throws ApiException 400 {@code invalid_cursor} for anything this service did not write, unchanged */
    public Cursor decode(String token) {
        if (token.length() > MAX_CURSOR_CHARS) {
            throw invalid("it is longer than any cursor this service writes");
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            throw invalid("it is not a cursor this service wrote");
        }
        byte[] payload;
        byte[] tag;
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            payload = b64.decode(token.substring(0, dot));
            tag = b64.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw invalid("it is not base64url");
        }
        // Constant time: the comparison must not tell a forger how many bytes were right.
        if (!MessageDigest.isEqual(mac(payload), tag)) {
            throw invalid("it was changed or cut (its signature does not match)");
        }
        Cursor cursor;
        try {
            cursor = json.readValue(payload, Cursor.class);
        } catch (IOException e) {
            throw invalid("its content is unreadable");
        }
        if (cursor.version() != VERSION || cursor.offset() < 0 || cursor.collection() == null
                || cursor.binding() == null) {
            throw invalid("it is from an incompatible version of this service");
        }
        return cursor;
    }

    /**
     * A digest of everything that decides which hits a search has and in what order: tenant, query (text, task and
     * instruction; the image's bytes; the mediaId), modalities, rawSegments, the fusion in effect and the filter.
     * Page size is not part of it: a client may change topK between pages.
     */
    public static String binding(SearchSpec spec, ModalityFusion fusion) {
        StringBuilder b = new StringBuilder();
        field(b, "tenant", spec.tenant());
        switch (spec.query()) {
            case QueryInput.Text t -> {
                field(b, "text", t.text());
                field(b, "task", t.task());
                field(b, "instruction", t.instruction());
            }
            case QueryInput.Image i -> field(b, "image", Base64.getEncoder().encodeToString(sha256(i.bytes())));
            case QueryInput.Media m -> field(b, "mediaId", m.mediaId());
        }
        field(b, "modalities", new TreeSet<>(spec.modalities()).toString());
        field(b, "raw", Boolean.toString(spec.rawSegments()));
        field(b, "fusion", fusion.id());
        // Records print their components; the store's conditions are records of strings and numbers.
        field(b, "filter", spec.filter().toString());
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Arrays.copyOf(sha256(b.toString().getBytes(StandardCharsets.UTF_8)), 16));
    }

    /** Length-prefixed, so that no value can pass for another field (a text holding "\nmodalities=..."). */
    private static void field(StringBuilder b, String name, String value) {
        b.append(name).append('=').append(value == null ? -1 : value.length()).append(':').append(value).append(';');
    }

    /** A calibration map in a stable order, so equal cursors encode equally. */
    public static Map<String, double[]> sorted(Map<String, double[]> calibration) {
        return calibration == null ? null : new TreeMap<>(calibration);
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal(payload), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static ApiException invalid(String why) {
        return ApiException.badRequest("invalid_cursor", "the cursor is not valid: " + why + ". Send the nextCursor of"
                + " the previous page unchanged, or leave cursor out for the first page");
    }
}
