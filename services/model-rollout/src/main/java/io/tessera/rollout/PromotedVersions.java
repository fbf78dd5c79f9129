package io.tessera.rollout;

import io.tessera.events.ModelStatus;
import io.tessera.events.ModelVersion;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The newest promoted version of each model, from the records of models.published in order.
 *
 * <p>models.published is compacted by model name, so after compaction only a model's latest record survives: a
 * PROMOTED v2 followed by a CANDIDATE or REJECTED v3 leaves only v3. The trainer always trains from the live
 * promoted version, so a record's {@code parentVersion} also proves that version was promoted; that keeps the
 * answer right after compaction. Not thread-safe.
 */
public final class PromotedVersions {

    private final Map<String, PromotedVersion> latest = new HashMap<>();

    /** Takes one record; returns the model's newest promoted version when this record made it newer. */
    public Optional<PromotedVersion> accept(ModelVersion event) {
        String model = event.getModelName();
        PromotedVersion before = latest.get(model);
        PromotedVersion candidate = null;
        if (event.getStatus() == ModelStatus.PROMOTED) {
            candidate = PromotedVersion.of(event);
        } else if (event.getParentVersion() != null && event.getParentVersion() >= 1) {
            candidate = PromotedVersion.inStore(model, event.getParentVersion());
        }
        if (candidate != null && (before == null || candidate.version() > before.version())) {
            latest.put(model, candidate);
            return Optional.of(candidate);
        }
        return Optional.empty();
    }

    public Optional<PromotedVersion> latest(String modelName) {
        return Optional.ofNullable(latest.get(modelName));
    }
}
