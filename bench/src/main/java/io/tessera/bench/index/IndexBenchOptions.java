package io.tessera.bench.index;

import io.tessera.events.Modality;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The options of {@code bench index}, {@code --name value} pairs. Kept free of every other class of the benchmark (it
 * needs only the event schemas' {@link Modality}) so that the CLI checks a user's options with it before it starts the
 * run's services (a typo costs a message, not a minute of starting and stopping services).
 */
public final class IndexBenchOptions {

    /** Every option the benchmark reads; the CLI passes the ones after {@code --topic-prefix} itself. */
    static final Set<String> NAMES = Set.of("kafka", "registry", "milvus", "modalities", "model", "threads",
            "items", "scale", "latency-seconds", "warmup", "topic-prefix", "collection-prefix", "pids", "load",
            "metrics", "rollout", "drain-delay");

    private IndexBenchOptions() {
    }

    /**
     * @return the options by name (without the dashes)
     * @throws IllegalArgumentException naming the first argument that is not a known option with a value, or a
     *                                  modality that is none of image, video, document, text
     */
    public static Map<String, String> parse(List<String> args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i += 2) {
            String key = args.get(i).replaceFirst("^--", "");
            if (!args.get(i).startsWith("--") || !NAMES.contains(key) || i + 1 >= args.size()) {
                throw new IllegalArgumentException("unknown option or missing value: " + args.get(i) + " (options: --"
                        + String.join(", --", new TreeSet<>(NAMES)) + ")");
            }
            options.put(key, args.get(i + 1));
        }
        List<String> modalities = Arrays.stream(Modality.values()).filter(m -> m != Modality.UNKNOWN)
                .map(m -> m.name().toLowerCase(Locale.ROOT)).toList();
        for (String m : options.getOrDefault("modalities", "image").split(",")) {
            if (!modalities.contains(m.strip().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("unknown modality in --modalities: '" + m.strip() + "' ("
                        + String.join(", ", modalities) + ")");
            }
        }
        return options;
    }
}
