package io.tessera.vectorstore;

/**
 * Milvus read consistency for searches. Milvus Lite makes every write visible at once whatever is chosen; a
 * standalone Milvus with BOUNDED may miss writes of the last few seconds.
 */
public enum Consistency {
    STRONG, BOUNDED, SESSION, EVENTUALLY
}
