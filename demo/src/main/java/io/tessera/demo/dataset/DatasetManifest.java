package io.tessera.demo.dataset;

import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json}: everything a consumer needs to publish, evaluate and train on a generated dataset.
 * {@code format} is always {@value #FORMAT}; {@code formatVersion} grows when a field changes meaning or goes
 * away (added fields do not bump it; readers ignore fields they do not know).
 */
public record DatasetManifest(String format, int formatVersion, long seed, int size, Map<String, Integer> counts,
        Map<String, List<String>> vocabulary, HeldOutCombinations heldOut, DataFile pairs, DataFile eval,
        List<ManifestItem> items) {

    public static final String FORMAT = "tessera-dataset";
    /** 2: held-out items sized for up to 100 queries per task (a version-1 dataset of the same seed and size differs). */
    public static final int FORMAT_VERSION = 2;
    public static final String FILE_NAME = "manifest.json";
    public static final String PAIRS_FILE = "pairs.jsonl";
    public static final String EVAL_FILE = "eval.jsonl";

    public DatasetManifest {
        counts = Map.copyOf(counts);
        vocabulary = Map.copyOf(vocabulary);
        items = List.copyOf(items);
    }

    public List<ManifestItem> items(Modality modality) {
        return items.stream().filter(i -> i.modality() == modality).toList();
    }
}
