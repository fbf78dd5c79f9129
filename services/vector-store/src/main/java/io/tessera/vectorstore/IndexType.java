package io.tessera.vectorstore;

/** Vector index types Tessera supports; all use the COSINE metric. Milvus Lite accepts all and ignores build params. */
public enum IndexType {
    /** Milvus picks the index (HNSW on a standalone server); the default. */
    AUTOINDEX,
    HNSW,
    IVF_FLAT,
    /** Exact search: small collections and tests. */
    FLAT
}
