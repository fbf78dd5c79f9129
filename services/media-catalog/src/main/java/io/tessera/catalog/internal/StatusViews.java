package io.tessera.catalog.internal;

import io.tessera.catalog.MediaStatus;
import java.time.Instant;
import java.util.Optional;

/** Turns a store entry into what a tenant may see of it. */
public final class StatusViews {

    private StatusViews() {
    }

    /**
     * The item's status as {@code tenant} sees it: empty when there is no entry or it belongs to another tenant, so
     * that a tenant cannot even learn that another tenant's mediaId exists.
     */
    public static Optional<MediaStatus> visibleTo(CatalogEntry entry, String tenant) {
        if (entry == null || tenant == null || !entry.tenant().equals(tenant)) {
            return Optional.empty();
        }
        boolean fromModel = entry.modelName() != null && !entry.modelName().isEmpty();
        return Optional.of(new MediaStatus(entry.mediaId(), entry.tenant(), entry.modality(), entry.status(),
                fromModel ? entry.modelName() : null,
                fromModel ? entry.modelVersion() : null,
                fromModel ? entry.segments() : null,
                entry.error(),
                Instant.ofEpochMilli(entry.updatedAt()),
                entry.versions().stream()
                        .filter(v -> !v.modelName().isEmpty())
                        .map(v -> new MediaStatus.VersionStatus(v.modelName(), v.modelVersion(), v.collection(),
                                v.status(), v.segments(), v.error(), Instant.ofEpochMilli(v.indexedAt())))
                        .toList(),
                entry.lastRejection() == null ? null : new MediaStatus.Rejected(entry.lastRejection().reason(),
                        entry.lastRejection().error(), Instant.ofEpochMilli(entry.lastRejection().at()))));
    }
}
