package io.tessera.trainer.round;

import io.tessera.events.ModelStatus;
import io.tessera.events.ModelVersion;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@code models.published} says about one model, folded from its records in topic order. The live version is
 * the last PROMOTED record read (so an operator can roll back by re-publishing an older PROMOTED version). Because
 * the topic is compacted by model name, a reader that starts after compaction may see only the latest record; that
 * record's {@code parentVersion} names the live version when it is a CANDIDATE or REJECTED one (the trainer always
 * trains from the live version), which {@link #liveVersion()} uses when no PROMOTED record survives.
 */
public final class PublishedModels {

    private final String modelName;
    private final Map<Integer, Set<ModelStatus>> statuses = new TreeMap<>();
    private final Map<Integer, ModelVersion> latestByVersion = new HashMap<>();
    private ModelVersion lastPromoted;
    private ModelVersion lastRecord;

    public PublishedModels(String modelName) {
        this.modelName = modelName;
    }

    /** Folds one record in; records of other models are ignored. */
    public synchronized void apply(ModelVersion v) {
        if (v == null || !modelName.equals(v.getModelName())) {
            return;
        }
        statuses.computeIfAbsent(v.getVersion(), k -> EnumSet.noneOf(ModelStatus.class)).add(v.getStatus());
        latestByVersion.put(v.getVersion(), v);
        lastRecord = v;
        if (v.getStatus() == ModelStatus.PROMOTED) {
            lastPromoted = v;
        }
    }

    public String modelName() {
        return modelName;
    }

    public synchronized Set<Integer> versions() {
        return Set.copyOf(statuses.keySet());
    }

    /** Whether a record with this version and status was read. */
    public synchronized boolean has(int version, ModelStatus status) {
        Set<ModelStatus> s = statuses.get(version);
        return s != null && s.contains(status);
    }

    /** The last PROMOTED record read, if any. */
    public synchronized Optional<ModelVersion> lastPromoted() {
        return Optional.ofNullable(lastPromoted);
    }

    /** The live version: the last PROMOTED one, else the parent of the latest record, else empty (never published). */
    public synchronized Optional<Integer> liveVersion() {
        if (lastPromoted != null) {
            return Optional.of(lastPromoted.getVersion());
        }
        if (lastRecord != null && lastRecord.getParentVersion() != null) {
            return Optional.of(lastRecord.getParentVersion());
        }
        return Optional.empty();
    }

    public synchronized Optional<ModelVersion> latest(int version) {
        return Optional.ofNullable(latestByVersion.get(version));
    }
}
