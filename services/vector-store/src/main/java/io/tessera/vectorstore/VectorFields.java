package io.tessera.vectorstore;

import java.util.List;

/**
 * Field names and limits of a Tessera collection (docs/architecture.md, "Milvus"). Tests and independent clients
 * (pymilvus) use these names; the schema itself is built only by the vector store.
 */
public final class VectorFields {

    /** VarChar primary key {@code <mediaId>#<segment>}: a replay upserts the same rows. */
    public static final String PK = "pk";
    public static final String MEDIA_ID = "media_id";
    /** The partition key: every read is filtered on it on the server. */
    public static final String TENANT = "tenant";
    public static final String MODALITY = "modality";
    /** {@value #WHOLE_ITEM} for the whole item; otherwise frame, page or chunk index. */
    public static final String SEGMENT = "segment";
    /** Milliseconds into the media; {@value #NO_TIME} where the segment has no time span (images, pages, chunks). */
    public static final String START_MS = "start_ms";
    public static final String END_MS = "end_ms";
    /** FloatVector, compared by COSINE. */
    public static final String VECTOR = "vector";
    /** Epoch milliseconds of the write. */
    public static final String INDEXED_AT = "indexed_at";
    /**
     * The publisher's attributes, one JSON object kept in the dynamic field. One key instead of one dynamic key
     * per attribute because (1) Milvus Lite merges upserts, so a removed attribute key would survive a re-index,
     * while a single object is replaced as a whole, and (2) an attribute called "tenant" or "pk" can then never
     * be confused with a schema field. Filter on them as {@code attributes["color"] == "red"}.
     */
    public static final String ATTRIBUTES = "attributes";
    /**
     * The numeric view of {@link #ATTRIBUTES}, a second JSON object in the dynamic field: every attribute whose string
     * value is a decimal number or an ISO-8601 date or instant, as a JSON number (times as epoch milliseconds; see
     * {@link AttributeValues}). Attributes stay strings (their text is what publishers sent and what equality
     * compares), but Milvus compares strings lexicographically ({@code "999" > "2020"}) and has no cast, so range
     * filters compare this object instead: {@code attributes_num["year"] >= 2020}. Always written (empty when no
     * value is numeric), so a re-index replaces it as a whole; rows written before it existed have none and match no
     * range until they are re-indexed.
     */
    public static final String ATTRIBUTE_NUMBERS = "attributes_num";
    /**
     * VarChar, the text a row was embedded from, for showing the match: a text chunk, a document page's text layer
     * or OCR text; empty for rows without text (images, video moments). At most {@value #MAX_PASSAGE_BYTES} bytes,
     * cut at a character boundary. Collections made before this field existed do not have it in their schema: rows
     * written to them keep the passage in the dynamic field under the same name, which Milvus returns the same way,
     * and their older rows simply have none.
     */
    public static final String PASSAGE = "passage";

    /** The segment value of the whole-item row every item has. */
    public static final int WHOLE_ITEM = -1;
    /** Stored in {@link #START_MS}/{@link #END_MS} when a row has no time span. */
    public static final long NO_TIME = -1L;

    /** Limits, in UTF-8 bytes as Milvus counts VarChar lengths. */
    public static final int MAX_MEDIA_ID_BYTES = 256;
    public static final int MAX_TENANT_BYTES = 128;
    public static final int MAX_MODALITY_BYTES = 32;
    /** Enough for a text chunk or a page's worth of text (~4 KB of UTF-8; a page of prose is ~3,000 characters). */
    public static final int MAX_PASSAGE_BYTES = 4096;
    /** mediaId + '#' + an int segment. */
    public static final int MAX_PK_BYTES = MAX_MEDIA_ID_BYTES + 12;

    /** Scalar fields returned with every hit and row. */
    public static final List<String> SCALAR_FIELDS =
            List.of(PK, MEDIA_ID, TENANT, MODALITY, SEGMENT, START_MS, END_MS, INDEXED_AT, ATTRIBUTES, PASSAGE);

    /** The primary key of one row of an item. */
    public static String pk(String mediaId, int segment) {
        return mediaId + "#" + segment;
    }

    private VectorFields() {
    }
}
