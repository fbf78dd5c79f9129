package io.tessera.demo.run;

import io.tessera.demo.dataset.DatasetSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the demo runs.
 *
 * @param seed           dataset seed
 * @param size           dataset size (number of images; everything else scales with it)
 * @param tenant         the tenant the media is published under and searched in
 * @param serve          keep the search page up after the table until Ctrl-C
 * @param datasetDir     where the dataset is written (reused when it already holds this seed and size)
 * @param runsDir        where each run keeps its own model store
 * @param inlineMaxBytes media up to this size is published inline, larger as a {@code file:} reference
 * @param stallTimeout   fail when (re-)indexing makes no progress for this long
 * @param trainTimeout   fail when the trainer has not promoted a version this long after the pairs are published
 * @param terminal       redraw progress in place (a terminal) or print log lines (CI)
 * @param keep           keep the run's topics, Milvus collections and model store when it ends (they are deleted otherwise)
 * @param modelName      the model the run indexes with and trains
 * @param modelVersion   its version the run starts from
 */
public record DemoOptions(long seed, int size, String tenant, boolean serve, Path datasetDir, Path runsDir,
                          long inlineMaxBytes, Duration stallTimeout, Duration trainTimeout, boolean terminal,
                          boolean keep, String modelName, int modelVersion) {

    /** The demo's default size: the whole run reaches the table in under 10 minutes on 2 cores. */
    public static final int DEFAULT_SIZE = 200;
    public static final long DEFAULT_SEED = DatasetSpec.DEFAULT_SEED;
    public static final String DEFAULT_TENANT = "demo";
    public static final String DEFAULT_MODEL = "tessera-base";
    /** Images (a few KiB) travel inline; most videos and documents as {@code file:} references. */
    public static final long DEFAULT_INLINE_MAX_BYTES = 16 * 1024;

    public DemoOptions {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(datasetDir, "datasetDir");
        Objects.requireNonNull(runsDir, "runsDir");
        Objects.requireNonNull(modelName, "modelName");
        if (modelVersion < 1) {
            throw new IllegalArgumentException("the model version must be at least 1");
        }
        if (tenant.isBlank()) {
            throw new IllegalArgumentException("--tenant must not be blank");
        }
    }
}
