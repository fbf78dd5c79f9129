package io.tessera.vectorstore;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * All rows of one media item as it should exist after a write: the whole-item row plus, for items with several
 * natural segments, one row per segment, numbered 0..n-1 (frame, page or chunk order). {@link VectorStore#replaceItems}
 * makes the collection hold exactly these rows for the mediaId, removing rows of segments the item no longer has.
 */
public record MediaItem(String mediaId, String tenant, List<VectorRow> rows) {

    public MediaItem {
        Checks.identifier("mediaId", mediaId, VectorFields.MAX_MEDIA_ID_BYTES);
        Checks.identifier("tenant", tenant, VectorFields.MAX_TENANT_BYTES);
        if (rows == null || rows.isEmpty()) {
            throw new InvalidVectorDataException("item " + mediaId + " has no rows");
        }
        // Canonical order, whole item first: a write interrupted half-way then leaves a prefix of segments, which
        // keeps the store's stale-row check by primary key exact (VectorStore#replaceItems).
        rows = rows.stream().sorted(Comparator.comparingInt(VectorRow::segment)).toList();
        Set<Integer> segments = new HashSet<>();
        for (VectorRow row : rows) {
            if (!row.mediaId().equals(mediaId) || !row.tenant().equals(tenant)) {
                throw new InvalidVectorDataException("row " + row.pk() + " of tenant " + row.tenant()
                        + " does not belong to item " + mediaId + " of tenant " + tenant);
            }
            if (!segments.add(row.segment())) {
                throw new InvalidVectorDataException("item " + mediaId + " has segment " + row.segment() + " twice");
            }
        }
        if (!segments.contains(VectorFields.WHOLE_ITEM)) {
            throw new InvalidVectorDataException("item " + mediaId + " has no whole-item row (segment -1)");
        }
        int segmentRows = rows.size() - 1;
        for (int segment : segments) {
            if (segment >= segmentRows) {
                // Numbering 0..n-1 lets the store find stale rows by primary key (see VectorStore#replaceItems).
                throw new InvalidVectorDataException("item " + mediaId + " has " + segmentRows
                        + " segment rows, so its segments must be numbered 0.." + (segmentRows - 1) + ", found " + segment);
            }
        }
    }
}
