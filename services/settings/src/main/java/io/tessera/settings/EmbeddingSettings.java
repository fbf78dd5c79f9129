package io.tessera.settings;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * {@code tessera.embedding.*}: how a service runs the model (ONNX Runtime), the same keys for the indexers and
 * search-api's query encoder; search-api sets its own defaults (a short batch wait) in its application.properties.
 */
@ConfigMapping(prefix = "tessera.embedding")
public interface EmbeddingSettings {

    /** AUTO (CUDA when usable), CPU or CUDA. */
    @WithDefault("AUTO")
    String device();

    /** The most items per inference batch (images and texts each). */
    @WithDefault("32")
    int batchSize();

    /** How long a batch waits to fill. */
    @WithDefault("5ms")
    Duration batchWait();

    /** Items waiting for a batch; beyond that submitting blocks (back-pressure). */
    @WithDefault("2048")
    int queueCapacity();

    /**
     * ONNX Runtime threads per operator, the calling batch worker included; indexers derive the default from their
     * thread budget ({@code tessera.pipeline.thread-budget}); 0 = ONNX Runtime's own default, one per core.
     */
    OptionalInt intraOpThreads();

    /**
     * Batches in flight per tower: 2 overlaps one batch's host-side work with the other's inference; 1 runs one
     * inference at a time. Default from the thread budget.
     */
    OptionalInt batchWorkers();

    /**
     * Whether ONNX Runtime's intra-op threads busy-wait for work between parallel sections (its own default) or
     * sleep (off, the default here: the broker, Milvus and the decode pool want those cores; see
     * docs/operations.md, "Thread budget", for the measurement).
     */
    @WithDefault("false")
    boolean intraOpSpinning();
}
