package io.tessera.bench.index;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CPU table of {@code bench index}: core-milliseconds per measured item (CPU seconds x 1000 / items) for the plain
 * and the e2e phase, per process and per stage. Stages come from thread names (see {@link #stage}); inside the plain
 * loop's own thread from its per-step thread CPU time.
 */
final class CpuTable {

    static final String BENCH = "benchmark";
    static final String OTHER = "other processes";
    static final String MACHINE = "machine total";

    /** Stage rows, in pipeline order. */
    static final List<String> STAGES = List.of("poll", "avro*", "decode", "preprocess*", "inference", "write", "commit",
            "event", "publish+read", "jit+gc", "other threads");

    private CpuTable() {
    }

    /**
     * The stage of a thread, by its {@code comm} name (the first 15 characters of a Java thread's name; ONNX
     * Runtime's pool threads inherit the name of the thread that created the session: in the benchmark
     * {@code ort-bench}, in an indexer service {@code indexer-start}, the thread that loads the model at start-up and
     * ends; a version loaded later by a roll-out would name them {@code rollout-...}, counted as other threads).
     */
    static String stage(String comm) {
        if (comm.startsWith("indexer-consume") || comm.startsWith("kafka-coordinat") || comm.startsWith("plain-loop")) {
            return "poll";
        }
        if (comm.startsWith("indexer-decode")) {
            return "decode";
        }
        if (comm.startsWith("batcher-") || comm.startsWith("ort-bench") || comm.startsWith("indexer-start")
                || comm.equals("java") || comm.equals("main")) {
            return "inference";
        }
        if (comm.startsWith("indexer-writer") || comm.startsWith("grpc") || comm.startsWith("milvus")) {
            return "write";
        }
        if (comm.startsWith("indexer-stage")) {
            return "event";
        }
        if (comm.startsWith("kafka-producer-")) {
            return "event"; // in the indexer; the benchmark's own producer is re-labelled by the caller
        }
        if (comm.startsWith("bench-outcomes")) {
            return "publish+read";
        }
        if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler") || comm.startsWith("GC ")
                || comm.startsWith("G1 ") || comm.startsWith("VM ") || comm.startsWith("Sweeper")) {
            return "jit+gc";
        }
        return "other threads";
    }

    static List<String> render(String modality, int items, IndexBenchmark.Phase plain,
                               Map<PlainLoop.Stage, Long> loopCpu, IndexBenchmark.Phase e2e, Collection<String> pids,
                               double preprocessMsPerItem, double avroMsPerItem) {
        Map<String, Double> plainStages = plainStages(plain.stageSeconds(), loopCpu, items, preprocessMsPerItem);
        Map<String, Double> e2eStages = indexerStages(e2e.stageSeconds(), items, preprocessMsPerItem, avroMsPerItem);
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "  cpu %-8s core-ms/item %10s %10s   (e2e stages: %s-indexer; plain stages:"
                + " this process)", modality, "plain", "e2e", modality));
        out.add(row("wall s", plain.seconds(), e2e.seconds(), "%10.1f"));
        double plainBusy = plain.processSeconds().getOrDefault(MACHINE, 0.0);
        double e2eBusy = e2e.processSeconds().getOrDefault(MACHINE, 0.0);
        out.add(row("cores busy", plainBusy / plain.seconds(), e2eBusy / e2e.seconds(), "%10.2f"));
        List<String> processes = new ArrayList<>(pids);
        processes.add(BENCH);
        processes.add(OTHER);
        processes.add(MACHINE);
        for (String p : processes) {
            out.add(row("process " + p, ms(plain.processSeconds().get(p), items), ms(e2e.processSeconds().get(p), items),
                    "%10.2f"));
        }
        for (String s : STAGES) {
            out.add(row("stage " + s, ms(plainStages.get(s), items), ms(e2eStages.get(s), items), "%10.2f"));
        }
        out.add("  * measured apart on the same items: preprocess (resize, crop, normalise; runs on the thread that calls"
                + " inference), avro (the plain loop's; the indexer reads values on its decode threads)");
        return out;
    }

    private static String row(String label, Double plain, Double e2e, String format) {
        return String.format(Locale.ROOT, "  %-33s " + format + " " + format, label,
                plain == null ? Double.NaN : plain, e2e == null ? Double.NaN : e2e).replace("NaN", "  -");
    }

    private static Double ms(Double seconds, int items) {
        return seconds == null ? null : seconds * 1000 / items;
    }

    /** The benchmark process during the plain phase: the loop thread by step, every other thread by name. */
    private static Map<String, Double> plainStages(Map<String, Double> threads, Map<PlainLoop.Stage, Long> loop,
                                                   int items, double preprocessMsPerItem) {
        Map<String, Double> out = zero();
        double loopStages = 0;
        for (var e : loop.entrySet()) {
            double s = e.getValue() / 1e9;
            loopStages += s;
            String stage = switch (e.getKey()) {
                case POLL -> "poll";
                case AVRO -> "avro*";
                case DECODE -> "decode";
                case EMBED -> "inference";
                case WRITE -> "write";
                case COMMIT -> "commit";
            };
            out.merge(stage, s, Double::sum);
        }
        for (var e : threads.entrySet()) {
            String comm = e.getKey().substring(e.getKey().indexOf(' ') + 1);
            if (comm.startsWith("plain-loop")) {
                out.merge("other threads", Math.max(0, e.getValue() - loopStages), Double::sum);
                continue;
            }
            String stage = stage(comm);
            if (comm.startsWith("kafka-producer-") || comm.equals("main") || comm.equals("java")) {
                stage = "publish+read"; // this process' producer and its main thread publish
            } else if (comm.startsWith("kafka-coordinat")) {
                stage = "poll";
            }
            out.merge(stage, e.getValue(), Double::sum);
        }
        splitPreprocess(out, items, preprocessMsPerItem);
        return out;
    }

    /** The indexer's threads by name; the decode threads' Avro share and the batchers' preprocessing split off. */
    private static Map<String, Double> indexerStages(Map<String, Double> threads, int items, double preprocessMsPerItem,
                                                     double avroMsPerItem) {
        Map<String, Double> out = zero();
        for (var e : threads.entrySet()) {
            out.merge(stage(e.getKey().substring(e.getKey().indexOf(' ') + 1)), e.getValue(), Double::sum);
        }
        double avro = Math.min(out.get("decode"), avroMsPerItem * items / 1000);
        out.merge("avro*", avro, Double::sum);
        out.merge("decode", -avro, Double::sum);
        splitPreprocess(out, items, preprocessMsPerItem);
        return out;
    }

    private static void splitPreprocess(Map<String, Double> out, int items, double preprocessMsPerItem) {
        double pre = Math.min(out.get("inference"), preprocessMsPerItem * items / 1000);
        out.merge("preprocess*", pre, Double::sum);
        out.merge("inference", -pre, Double::sum);
    }

    private static Map<String, Double> zero() {
        Map<String, Double> out = new LinkedHashMap<>();
        STAGES.forEach(s -> out.put(s, 0.0));
        return out;
    }

    /** Threads grouped by name with digits removed, busiest first: for the diagnostic line on stderr. */
    static String byName(Map<String, Double> threads, int items) {
        Map<String, Double> groups = new TreeMap<>();
        threads.forEach((k, v) -> groups.merge(k.substring(k.indexOf(' ') + 1).replaceAll("[0-9]+", "#"), v,
                Double::sum));
        StringBuilder sb = new StringBuilder();
        groups.entrySet().stream().filter(e -> e.getValue() > 0).sorted(Map.Entry.<String, Double>comparingByValue()
                .reversed()).limit(16).forEach(e -> sb.append(String.format(Locale.ROOT, "%s=%.2f ", e.getKey(),
                e.getValue() * 1000 / items)));
        return sb.toString().trim();
    }
}
