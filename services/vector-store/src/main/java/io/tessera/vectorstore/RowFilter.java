package io.tessera.vectorstore;

import java.util.Optional;

/**
 * Which rows to count. An empty filter counts all rows of the collection (for tests and operators; tenant-facing
 * code always sets a tenant).
 */
public record RowFilter(Optional<String> tenant, Optional<String> mediaId, Optional<String> modality, SegmentScope scope) {

    public RowFilter {
        tenant.ifPresent(t -> Checks.identifier("tenant", t, VectorFields.MAX_TENANT_BYTES));
        mediaId.ifPresent(m -> Checks.identifier("mediaId", m, VectorFields.MAX_MEDIA_ID_BYTES));
        modality.ifPresent(m -> Checks.identifier("modality", m, VectorFields.MAX_MODALITY_BYTES));
        scope = scope == null ? SegmentScope.ALL : scope;
    }

    public static RowFilter all() {
        return new RowFilter(Optional.empty(), Optional.empty(), Optional.empty(), SegmentScope.ALL);
    }

    public static RowFilter tenant(String tenant) {
        return all().andTenant(tenant);
    }

    public RowFilter andTenant(String newTenant) {
        return new RowFilter(Optional.of(newTenant), mediaId, modality, scope);
    }

    public RowFilter andMediaId(String newMediaId) {
        return new RowFilter(tenant, Optional.of(newMediaId), modality, scope);
    }

    public RowFilter andModality(String newModality) {
        return new RowFilter(tenant, mediaId, Optional.of(newModality), scope);
    }

    public RowFilter andScope(SegmentScope newScope) {
        return new RowFilter(tenant, mediaId, modality, newScope);
    }
}
