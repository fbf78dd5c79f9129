package io.tessera.indexer;

import io.tessera.events.Modality;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * How an indexer splits the cores it has among the threads that compete for them: the decode pool (fetch, Avro,
 * decode), the batch workers of the embedding runtime (preprocessing, and the calling thread of every inference) and
 * ONNX Runtime's intra-op threads. An intra-op count of {@code n} means the batch worker that calls the session plus
 * {@code n - 1} pool threads of the session (shared by the workers' concurrent runs), so the inference threads that
 * can be busy at once are {@code towers x (batchWorkers + intraOpThreads - 1)}, where {@code towers} is the number of
 * towers the modality keeps busy (images and texts one, videos and documents two: pictures and their OCR or text
 * layer). The rule:
 *
 * <pre>  images:  inference threads &lt;= cores, the decode pool beside them
 *  others:  decode + inference threads &lt;= cores</pre>
 *
 * The decode pool is a quarter of the cores (at least one). Images get two batch workers once inference has two
 * cores; the other modalities one worker per tower until a tower has four cores, then two; the rest are intra-op
 * threads.
 *
 * <p>Why images differ, measured on 2 cores with {@code ./tessera bench index} (docs/operations.md, "Thread budget"):
 * decoding a picture costs about 3 core-ms against 12 of inference with tessera-base and 100 with a ViT-B/32, so a
 * core reserved for the decode pool sat idle most of the time. Decode 1 + one worker with one intra-op thread kept
 * 1.64 cores busy and indexed 57.6 images/s with tessera-base and 9.0 with a ViT-B/32; two single-threaded workers
 * with the decode thread beside kept 1.99 busy and indexed 73.4 and 14.3 (one batch's preprocessing overlaps the
 * other's inference, and a single-threaded run has no intra-op pool to synchronise: 12.5 against 15.8 core-ms of
 * inference an image with one worker of two intra-op threads). Texts measured the other way: a second worker halves
 * the batches at a trickle, and p99 latency at half the maximum rate went from 0.55 s to 1.6-3.4 s, while the text
 * indexer with one worker already kept the cores busy (1.92) through the broker, Milvus and media-catalog. Videos and
 * documents decode far more per item (frames, scene cuts, OCR, page rendering) and keep the rule within the budget.
 *
 * <p>Any of the three given explicitly is taken as it is and the others share what is left; when the split does not
 * fit its rule (explicit values, or a 1-core budget), {@link #overcommitted()} says so (the service logs it as a
 * warning).
 *
 * @param cores          the budget: {@code tessera.pipeline.thread-budget}, else the processors the JVM sees
 *                       ({@link Runtime#availableProcessors()}, which follows container CPU limits)
 * @param coresSource    where {@code cores} came from, for the log line
 * @param towers         towers kept busy at once by this modality
 * @param decodeBeside   whether the decode pool runs beside the inference threads rather than within the budget
 * @param decodeThreads  the decode pool
 * @param batchWorkers   batch workers per tower
 * @param intraOpThreads ONNX Runtime intra-op threads per session, the calling batch worker included
 * @param explicit       which of decode, workers, intra-op were configured rather than derived ("" when none)
 */
public record ThreadBudget(int cores, String coresSource, int towers, boolean decodeBeside, int decodeThreads,
                           int batchWorkers, int intraOpThreads, String explicit) {

    public ThreadBudget {
        if (cores < 1 || towers < 1 || decodeThreads < 1 || batchWorkers < 1 || intraOpThreads < 0) {
            throw new IllegalArgumentException("a thread budget needs at least one core, tower, decode thread and"
                    + " batch worker, was cores=" + cores + " towers=" + towers + " decode=" + decodeThreads
                    + " workers=" + batchWorkers + " intra-op=" + intraOpThreads);
        }
    }

    /** The towers a modality keeps busy at once: pictures plus their text (OCR, text layer) for videos and pages. */
    public static int towers(Modality modality) {
        return modality == Modality.VIDEO || modality == Modality.DOCUMENT ? 2 : 1;
    }

    /**
     * The split of {@code cores} for a modality, with whatever was configured explicitly taken as given.
     *
     * @param budget  the configured budget, or empty for the processors the JVM sees
     * @param decode  {@code tessera.pipeline.decode-threads}, if set
     * @param workers {@code tessera.embedding.batch-workers}, if set
     * @param intraOp {@code tessera.embedding.intra-op-threads}, if set (0: ONNX Runtime's own default, one per core)
     */
    public static ThreadBudget split(Modality modality, OptionalInt budget, OptionalInt decode, OptionalInt workers,
                                     OptionalInt intraOp) {
        int cores = budget.isPresent() ? budget.getAsInt() : Runtime.getRuntime().availableProcessors();
        String source = budget.isPresent() ? "tessera.pipeline.thread-budget" : "available processors";
        return split(modality, cores, source, decode, workers, intraOp);
    }

    static ThreadBudget split(Modality modality, int cores, String source, OptionalInt decode, OptionalInt workers,
                              OptionalInt intraOp) {
        if (cores < 1) {
            throw new IllegalArgumentException("the thread budget must be at least 1 core, was " + cores);
        }
        positiveIfSet("decode threads", decode, 1);
        positiveIfSet("batch workers", workers, 1);
        positiveIfSet("intra-op threads", intraOp, 0);
        int towers = towers(modality);
        boolean beside = modality == Modality.IMAGE;
        int d = decode.orElse(Math.max(1, cores / 4));
        // Per tower: its share of what the decode pool leaves (all of the budget for images; see the class comment).
        int perTower = Math.max(1, (beside ? cores : cores - d) / towers);
        int w = workers.orElse(perTower >= (beside ? 2 : 4) ? 2 : 1);
        int i = intraOp.orElse(Math.max(1, perTower - w + 1));
        StringBuilder explicit = new StringBuilder();
        decode.ifPresent(v -> explicit.append("decode "));
        workers.ifPresent(v -> explicit.append("workers "));
        intraOp.ifPresent(v -> explicit.append("intra-op "));
        return new ThreadBudget(cores, source, towers, beside, d, w, i, explicit.toString().strip());
    }

    private static void positiveIfSet(String name, OptionalInt v, int min) {
        if (v.isPresent() && v.getAsInt() < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", was " + v.getAsInt());
        }
    }

    /**
     * Inference threads that can be busy at once: per tower its batch workers plus the session's pool threads
     * (intra-op minus the calling worker; ONNX Runtime's default of one per core when intra-op is 0).
     */
    public int inferenceThreads() {
        int intra = intraOpThreads == 0 ? Runtime.getRuntime().availableProcessors() : intraOpThreads;
        return towers * (batchWorkers + intra - 1);
    }

    /** Threads that can be busy at once: the inference threads and the decode pool. */
    public int threadsAtOnce() {
        return decodeThreads + inferenceThreads();
    }

    /**
     * Whether the split runs more threads at once than its rule allows (explicit settings, or 1 core): more inference
     * threads than cores for images, more inference and decode threads than cores for the other modalities.
     */
    public boolean overcommitted() {
        return (decodeBeside ? inferenceThreads() : threadsAtOnce()) > cores;
    }

    /** The start-up log line: the budget and how it was split. */
    public String describe() {
        String intra = intraOpThreads == 0 ? "ONNX Runtime's default (one per core)"
                : intraOpThreads + " (the calling worker + " + (intraOpThreads - 1) + " pool)";
        return String.format(Locale.ROOT, "thread budget %d (%s): decode pool %d%s, per tower (%d) batch workers %d and"
                        + " intra-op threads %s = %d threads at once%s%s", cores, coresSource, decodeThreads,
                decodeBeside ? " beside inference" : "", towers, batchWorkers, intra, threadsAtOnce(),
                explicit.isEmpty() ? "" : "; set explicitly: " + explicit,
                overcommitted() ? "; more than the budget, threads will compete for the cores" : "");
    }
}
