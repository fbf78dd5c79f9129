package io.tessera.helm;

import java.nio.file.Path;
import java.util.Optional;

/** A values file the chart is rendered with in CI: the defaults and every ci/*-values.yaml. */
enum ValuesSet {
    DEFAULTS(null),
    CPU("ci/cpu-values.yaml"),
    GPU("ci/gpu-values.yaml"),
    EXTERNAL_SECRETS("ci/external-secrets-values.yaml"),
    S3_MODELS("ci/s3-models-values.yaml");

    private final String relativePath;

    ValuesSet(String relativePath) {
        this.relativePath = relativePath;
    }

    Optional<Path> file() {
        return Optional.ofNullable(relativePath).map(p -> Repo.chart().resolve(p));
    }

    @Override
    public String toString() {
        return relativePath == null ? "default values" : relativePath;
    }
}
