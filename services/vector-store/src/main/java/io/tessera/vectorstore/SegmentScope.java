package io.tessera.vectorstore;

/** Which rows of items a read considers. */
public enum SegmentScope {
    /** Whole-item rows and segment rows. */
    ALL,
    /** Only the whole-item rows (segment -1): one hit per item. */
    WHOLE_ITEMS,
    /** Only frame, page and chunk rows. */
    SEGMENTS
}
