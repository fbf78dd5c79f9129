package io.tessera.demo.run;

import io.tessera.events.ModelStatus;
import io.tessera.events.ModelVersion;
import io.tessera.events.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Follows {@code models.published}: every version the trainer announced for one model, in order. */
final class ModelVersions implements AutoCloseable {

    private final String modelName;
    private final List<ModelVersion> seen = new ArrayList<>();
    private TopicFollower<ModelVersion> follower;

    ModelVersions(String modelName) {
        this.modelName = modelName;
    }

    /** Versions read from the run's {@code models.published} topic, from its beginning. */
    static ModelVersions following(String bootstrap, String registryUrl, Namespace ns, String modelName) {
        ModelVersions versions = new ModelVersions(modelName);
        versions.follower = new TopicFollower<>(bootstrap, registryUrl, ns.topic(Topics.MODELS_PUBLISHED),
                ModelVersion.class, r -> versions.accept(r.value()));
        return versions;
    }

    synchronized void accept(ModelVersion v) {
        if (modelName.equals(v.getModelName())) {
            seen.add(v);
        }
    }

    /** The newest PROMOTED version above {@code version}, if the trainer promoted one. */
    synchronized Optional<ModelVersion> promotedAbove(int version) {
        return seen.stream().filter(v -> v.getStatus() == ModelStatus.PROMOTED && v.getVersion() > version)
                .reduce((a, b) -> b.getVersion() >= a.getVersion() ? b : a);
    }

    /** REJECTED versions above {@code version}: the trainer's gate kept the old model. */
    synchronized List<ModelVersion> rejectedAbove(int version) {
        return seen.stream().filter(v -> v.getStatus() == ModelStatus.REJECTED && v.getVersion() > version).toList();
    }

    synchronized Optional<ModelVersion> latest() {
        return seen.isEmpty() ? Optional.empty() : Optional.of(seen.getLast());
    }

    void check(String step) {
        if (follower != null) {
            follower.check(step);
        }
    }

    @Override
    public void close() {
        if (follower != null) {
            follower.close();
        }
    }
}
