package io.tessera.indexer;

import io.tessera.events.Modality;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * How an indexer splits the cores it has among the threads that compete for them: the decode pool (fetch, Avro,
 * decode), the batch workers of the embedding runtime (preprocessing, and the calling thread of every inference) and
 * ONNX Runtime's intra-op threads. An intra-op count of {@code n} means the batch worker that calls the session plus
 * {@code n - 1} pool threads of the session, so the threads that can be busy at once are
 *
 * <pre>  decode + towers x (batchWorkers + intraOpThreads - 1)  &lt;=  cores</pre>
 *
 * where {@code towers} is the number of towers the modality keeps busy (images and texts one, videos and documents
 * two: pictures and their OCR or text layer). The split by default, measured on a 2-core machine where the broker,
 * Milvus and media-catalog share the cores (docs/operations.md, "Thread budget"): a quarter of the cores decode
 * (at least one), one batch worker per tower until a tower has four cores (then two, so that one batch's host-side
 * work overlaps the other's inference), and the rest are intra-op threads. Any of the three given explicitly is
 * taken as it is and the others share what is left; when the explicit values or the minimum of one each do not
 * fit, {@link #overcommitted()} says so (the service logs it as a warning).
 *
 * @param cores          the budget: {@code tessera.pipeline.thread-budget}, else the processors the JVM sees
 *                       ({@link Runtime#availableProcessors()}, which follows container CPU limits)
 * @param coresSource    where {@code cores} came from, for the log line
 * @param towers         towers kept busy at once by this modality
 * @param decodeThreads  the decode pool
 * @param batchWorkers   batch workers per tower
 * @param intraOpThreads ONNX Runtime intra-op threads per session, the calling batch worker included
 * @param explicit       which of decode, workers, intra-op were configured rather than derived ("" when none)
 */
public record ThreadBudget(int cores, String coresSource, int towers, int decodeThreads, int batchWorkers,
                           int intraOpThreads, String explicit) {

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
        int d = decode.orElse(Math.max(1, cores / 4));
        // Per tower: what is left after decoding.
        int perTower = Math.max(1, (cores - d) / towers);
        int w = workers.orElse(perTower >= 4 ? 2 : 1);
        int i = intraOp.orElse(Math.max(1, perTower - w + 1));
        StringBuilder explicit = new StringBuilder();
        decode.ifPresent(v -> explicit.append("decode "));
        workers.ifPresent(v -> explicit.append("workers "));
        intraOp.ifPresent(v -> explicit.append("intra-op "));
        return new ThreadBudget(cores, source, towers, d, w, i, explicit.toString().strip());
    }

    private static void positiveIfSet(String name, OptionalInt v, int min) {
        if (v.isPresent() && v.getAsInt() < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", was " + v.getAsInt());
        }
    }

    /**
     * Threads that can be busy at once: the decode pool, and per tower its batch workers plus the session's pool
     * threads (intra-op minus the calling worker; ONNX Runtime's default of one per core when intra-op is 0).
     */
    public int threadsAtOnce() {
        int intra = intraOpThreads == 0 ? Runtime.getRuntime().availableProcessors() : intraOpThreads;
        return decodeThreads + towers * (batchWorkers + intra - 1);
    }

    /** Whether the split lets more threads run at once than there are cores (explicit settings, or 1 core). */
    public boolean overcommitted() {
        return threadsAtOnce() > cores;
    }

    /** The start-up log line: the budget and how it was split. */
    public String describe() {
        String intra = intraOpThreads == 0 ? "ONNX Runtime's default (one per core)"
                : intraOpThreads + " (the calling worker + " + (intraOpThreads - 1) + " pool)";
        return String.format(Locale.ROOT, "thread budget %d (%s): decode pool %d, per tower (%d) batch workers %d and"
                        + " intra-op threads %s = %d threads at once%s%s", cores, coresSource, decodeThreads, towers,
                batchWorkers, intra, threadsAtOnce(), explicit.isEmpty() ? "" : "; set explicitly: " + explicit,
                overcommitted() ? "; more than the budget, threads will compete for the cores" : "");
    }
}
