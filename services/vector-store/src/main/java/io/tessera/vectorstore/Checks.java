package io.tessera.vectorstore;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Input checks shared by the public records: they fail with {@link InvalidVectorDataException} naming the field. */
final class Checks {

    static String identifier(String field, String value, int maxBytes) {
        if (value == null || value.isBlank()) {
            throw new InvalidVectorDataException(field + " must not be blank");
        }
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            throw new InvalidVectorDataException(field + " is " + bytes + " bytes long, at most " + maxBytes + " allowed");
        }
        // Control characters cannot be written in a Milvus filter literal portably (Milvus Lite knows only \n \r \t),
        // and no legitimate id carries them.
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new InvalidVectorDataException(field + " contains a control character at index " + i);
            }
        }
        return value;
    }

    static float[] vector(String field, float[] vector) {
        if (vector == null || vector.length == 0) {
            throw new InvalidVectorDataException(field + " must not be empty");
        }
        double norm = 0;
        for (int i = 0; i < vector.length; i++) {
            float v = vector[i];
            if (!Float.isFinite(v)) {
                throw new InvalidVectorDataException(field + " has a non-finite value at index " + i);
            }
            norm += (double) v * v;
        }
        if (norm == 0) {
            // COSINE of a zero vector is undefined: the row could never be found.
            throw new InvalidVectorDataException(field + " is all zeros");
        }
        return vector;
    }

    static Map<String, String> attributes(Map<String, String> attributes) {
        if (attributes == null) {
            return Map.of();
        }
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty()) {
                throw new InvalidVectorDataException("attribute keys must not be empty");
            }
            if (e.getValue() == null) {
                throw new InvalidVectorDataException("attribute '" + e.getKey() + "' has a null value");
            }
        }
        return Map.copyOf(attributes);
    }

    /**
     * Null for blank; otherwise at most {@link VectorFields#MAX_PASSAGE_BYTES} UTF-8 bytes, cut before the code point
     * that would cross the limit (a passage is for display, so a cut one is still useful, and the write must not
     * fail over it). NUL is dropped: Milvus rejects it in a VarChar.
     */
    static String passage(String passage) {
        if (passage == null || passage.isBlank()) {
            return null;
        }
        String text = passage.indexOf('\0') >= 0 ? passage.replace("\0", "") : passage;
        if (text.length() * 3L <= VectorFields.MAX_PASSAGE_BYTES) {
            return text;
        }
        int bytes = 0;
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + size > VectorFields.MAX_PASSAGE_BYTES) {
                return text.substring(0, i);
            }
            bytes += size;
            i += Character.charCount(cp);
        }
        return text;
    }

    private Checks() {
    }
}
