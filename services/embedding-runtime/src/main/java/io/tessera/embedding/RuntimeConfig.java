package io.tessera.embedding;

import io.tessera.embedding.batch.BatcherConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of an {@link EmbeddingRuntime}.
 *
 * @param device where inference runs
 * @param cudaDeviceId GPU ordinal when CUDA is used
 * @param intraOpThreads ONNX Runtime threads inside one operator; 0 lets ONNX Runtime choose (one per core)
 * @param interOpThreads ONNX Runtime threads across operators (sequential execution uses 1)
 * @param imageBatching batching of the image tower
 * @param textBatching batching of the text tower
 * @param warmUp run each tower once on a dummy batch before a model serves (load and swap)
 * @param intraOpSpinning whether ONNX Runtime's intra-op threads spin (busy-wait) for the next piece of work instead
 *     of sleeping ({@code session.intra_op.allow_spinning}): ONNX Runtime's default, true, wins a little when
 *     inference has the cores to itself and loses when other threads of the process or other processes need them;
 *     irrelevant with one intra-op thread (no pool)
 */
public record RuntimeConfig(
        Device device,
        int cudaDeviceId,
        int intraOpThreads,
        int interOpThreads,
        BatcherConfig imageBatching,
        BatcherConfig textBatching,
        boolean warmUp,
        boolean intraOpSpinning) {

    public RuntimeConfig {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(imageBatching, "imageBatching");
        Objects.requireNonNull(textBatching, "textBatching");
        if (cudaDeviceId < 0 || intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("cudaDeviceId and thread counts must not be negative");
        }
    }

    /** Batch workers per tower by default: see {@link BatcherConfig#workers()}. */
    public static final int DEFAULT_BATCH_WORKERS = 2;

    /**
     * AUTO device, ONNX Runtime's thread defaults (spinning on), batches of up to 32 filled for at most 2 ms, two
     * batches in flight per tower (with one, the text tower loses 5-10 % of its raw throughput to tokenizing and
     * completing callers between inferences; {@code ./tessera bench embed --workers 1} shows it).
     */
    public static RuntimeConfig defaults() {
        BatcherConfig b = new BatcherConfig(32, Duration.ofMillis(2), 1024, Duration.ofSeconds(5),
                DEFAULT_BATCH_WORKERS);
        return new RuntimeConfig(Device.AUTO, 0, 0, 1, b, b, true, true);
    }

    public RuntimeConfig withDevice(Device d) {
        return new RuntimeConfig(d, cudaDeviceId, intraOpThreads, interOpThreads, imageBatching, textBatching,
                warmUp, intraOpSpinning);
    }

    public RuntimeConfig withThreads(int intra, int inter) {
        return new RuntimeConfig(device, cudaDeviceId, intra, inter, imageBatching, textBatching, warmUp,
                intraOpSpinning);
    }

    public RuntimeConfig withBatching(BatcherConfig both) {
        return new RuntimeConfig(device, cudaDeviceId, intraOpThreads, interOpThreads, both, both, warmUp,
                intraOpSpinning);
    }

    public RuntimeConfig withBatching(BatcherConfig image, BatcherConfig text) {
        return new RuntimeConfig(device, cudaDeviceId, intraOpThreads, interOpThreads, image, text, warmUp,
                intraOpSpinning);
    }

    /** Whether ONNX Runtime's intra-op threads spin while waiting for work ({@link #intraOpSpinning}). */
    public RuntimeConfig withIntraOpSpinning(boolean spin) {
        return new RuntimeConfig(device, cudaDeviceId, intraOpThreads, interOpThreads, imageBatching, textBatching,
                warmUp, spin);
    }

    public RuntimeConfig withWarmUp(boolean w) {
        return new RuntimeConfig(device, cudaDeviceId, intraOpThreads, interOpThreads, imageBatching, textBatching,
                w, intraOpSpinning);
    }
}
