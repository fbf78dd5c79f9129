package io.tessera.search;

import io.tessera.client.api.SearchQuery;
import io.tessera.vectorstore.VectorFields;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Turns what a client sent into a {@link SearchSpec}, with one clear 4xx per problem: no query, more than one query,
 * a bad topK, modality, task, base64 or mediaId, an image over the byte cap (checked on the base64 length before
 * anything is decoded). The tenant is decided before, by {@link TenantAccess}.
 */
public final class QueryParser {

    public static final Set<String> MODALITIES = Set.of("IMAGE", "VIDEO", "DOCUMENT", "TEXT");

    private final int maxTextChars;
    private final long maxImageBytes;
    private final Supplier<Set<String>> knownTasks;

    /**
     * @param knownTasks the tasks of the model serving now (the live one's may differ after a swap; an unknown task
     *                   there falls back to the model's default template)
     */
    public QueryParser(int maxTextChars, long maxImageBytes, Supplier<Set<String>> knownTasks) {
        this.maxTextChars = maxTextChars;
        this.maxImageBytes = maxImageBytes;
        this.knownTasks = knownTasks;
    }

    /** A JSON query; the image, if any, is base64. */
    public SearchSpec parse(SearchQuery q, String tenant) {
        if (q == null) {
            throw ApiException.badRequest("empty_query", "send a JSON body with one of text, image or mediaId");
        }
        byte[] image = q.image() == null ? null : decodeBase64(q.image());
        SearchSpec spec = parse(tenant, q.text(), image, q.image() != null, q.mediaId(), q.modalities(), q.topK(),
                q.task(), q.instruction(), q.rawSegments());
        spec = spec.withFilter(SearchFilters.fromJson(q.filter())).withCursor(cursor(q.cursor()));
        return q.fusion() == null ? spec : withFusion(spec, q.fusion());
    }

    /**
     * The query-string and form spelling of a search's paging and filter: {@code filter} parameters as
     * {@link SearchFilters#fromQuery} reads them, the cursor as sent, a fusion name or null.
     */
    public static SearchSpec withPaging(SearchSpec spec, List<String> filter, String cursor, String fusion) {
        SearchSpec out = spec.withFilter(SearchFilters.fromQuery(filter)).withCursor(cursor(cursor));
        return fusion == null ? out : withFusion(out, fusion);
    }

    /** The spec with a fusion the request asked for ({@code zscore}, {@code rrf} or {@code none}). */
    public static SearchSpec withFusion(SearchSpec spec, String fusion) {
        try {
            return spec.withFusion(ModalityFusion.parse(fusion));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_fusion", "fusion must be zscore, rrf or none, was '" + fusion + "'");
        }
    }

    /** A cursor as sent; blank is the first page. Its content is checked by the engine, which knows the search. */
    static String cursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        if (cursor.length() > PageCursors.MAX_CURSOR_CHARS) {
            throw ApiException.badRequest("invalid_cursor", "the cursor is not valid: it is longer than any cursor this"
                    + " service writes. Send the nextCursor of the previous page unchanged");
        }
        return cursor.strip();
    }

    /**
     * Any query shape (the multipart form has the image as raw bytes).
     *
     * @param imageGiven whether the client sent an image field at all (an empty one is an empty query)
     */
    public SearchSpec parse(String tenant, String text, byte[] image, boolean imageGiven, String mediaId,
                            List<String> modalities, Integer topK, String task, String instruction,
                            Boolean rawSegments) {
        int given = (text != null ? 1 : 0) + (imageGiven ? 1 : 0) + (mediaId != null ? 1 : 0);
        if (given > 1) {
            throw ApiException.badRequest("ambiguous_query",
                    "send exactly one of text, image and mediaId; this request has " + given);
        }
        if (given == 0) {
            throw ApiException.badRequest("empty_query", "send one of text, image or mediaId");
        }
        QueryInput query;
        if (text != null) {
            query = text(text, task, instruction);
        } else if (imageGiven) {
            if (image == null || image.length == 0) {
                throw ApiException.badRequest("empty_query", "the image is empty");
            }
            if (image.length > maxImageBytes) {
                throw imageTooLarge(image.length);
            }
            query = new QueryInput.Image(image);
        } else {
            query = new QueryInput.Media(mediaId(mediaId));
        }
        if (!(query instanceof QueryInput.Text) && (task != null || instruction != null)) {
            throw ApiException.badRequest("invalid_task", "task and instruction apply to text queries only");
        }
        int k = topK == null ? SearchSpec.DEFAULT_TOP_K : topK;
        if (k < 1 || k > SearchSpec.MAX_TOP_K) {
            throw ApiException.badRequest("invalid_top_k", "topK must be between 1 and " + SearchSpec.MAX_TOP_K
                    + ", was " + k);
        }
        return new SearchSpec(tenant, query, modalities(modalities), k, Boolean.TRUE.equals(rawSegments));
    }

    private QueryInput.Text text(String text, String task, String instruction) {
        String stripped = text.strip();
        if (stripped.isEmpty()) {
            throw ApiException.badRequest("empty_query", "the text query is empty");
        }
        if (stripped.length() > maxTextChars) {
            throw ApiException.badRequest("query_too_long", "the text query has " + stripped.length()
                    + " characters; the limit is " + maxTextChars);
        }
        if (task != null) {
            Set<String> tasks = knownTasks.get();
            if (!tasks.contains(task)) {
                throw ApiException.badRequest("unknown_task", "unknown task '" + task + "'; the model knows "
                        + tasks.stream().sorted().toList());
            }
        }
        if (instruction != null && (instruction.isBlank() || instruction.length() > maxTextChars)) {
            throw ApiException.badRequest("invalid_instruction", "the instruction must be 1-" + maxTextChars
                    + " characters");
        }
        return new QueryInput.Text(stripped, task, instruction == null ? null : instruction.strip());
    }

    private byte[] decodeBase64(String value) {
        String data = value.strip();
        if (data.startsWith("data:")) {
            int comma = data.indexOf(',');
            if (comma < 0 || !data.substring(0, comma).endsWith(";base64")) {
                throw ApiException.badRequest("invalid_base64", "a data: URL image must be ';base64,'-encoded");
            }
            data = data.substring(comma + 1);
        }
        // 4 base64 characters carry 3 bytes: refuse an oversized image before allocating it.
        long maxChars = (maxImageBytes + 2) / 3 * 4;
        long length = data.chars().filter(c -> !Character.isWhitespace(c)).count();
        if (length > maxChars) {
            throw imageTooLarge(length / 4 * 3);
        }
        try {
            return Base64.getMimeDecoder().decode(strictBase64(data));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_base64", "the image is not valid base64: " + e.getMessage());
        }
    }

    /** The MIME decoder skips foreign characters silently; only whitespace may be skipped here. */
    private static String strictBase64(String data) {
        StringBuilder out = new StringBuilder(data.length());
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            if (Character.isWhitespace(c)) {
                continue;
            }
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+'
                    || c == '/' || c == '=' || c == '-' || c == '_';
            if (!ok) {
                throw new IllegalArgumentException("illegal character at position " + i);
            }
            out.append(c == '-' ? '+' : c == '_' ? '/' : c);
        }
        if (out.length() % 4 == 1) {
            throw new IllegalArgumentException("truncated input");
        }
        return out.toString();
    }

    private ApiException imageTooLarge(long bytes) {
        return ApiException.tooLarge("image_too_large", "the image has about " + bytes + " bytes; the limit is "
                + maxImageBytes + " (tessera.search.max-image-bytes)");
    }

    private static String mediaId(String mediaId) {
        if (mediaId.isBlank()) {
            throw ApiException.badRequest("empty_query", "the mediaId is empty");
        }
        if (mediaId.getBytes(StandardCharsets.UTF_8).length > VectorFields.MAX_MEDIA_ID_BYTES
                || mediaId.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("invalid_media_id", "a mediaId has at most "
                    + VectorFields.MAX_MEDIA_ID_BYTES + " bytes and no control characters");
        }
        return mediaId;
    }

    private static Set<String> modalities(List<String> requested) {
        if (requested == null) {
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (String m : requested) {
            for (String part : m == null ? new String[0] : m.split(",")) {
                String name = part.strip().toUpperCase(Locale.ROOT);
                if (name.isEmpty()) {
                    continue;
                }
                if (!MODALITIES.contains(name)) {
                    throw ApiException.badRequest("invalid_modality", "unknown modality '" + part.strip()
                            + "'; use IMAGE, VIDEO, DOCUMENT or TEXT");
                }
                out.add(name);
            }
        }
        return out;
    }
}
