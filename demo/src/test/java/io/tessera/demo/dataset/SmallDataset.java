package io.tessera.demo.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One small dataset (seed 7, size 40) generated once per test JVM with the lossless test encoder and only read by
 * the tests that share it. Size 40 gives every modality several training and evaluation items.
 */
final class SmallDataset {

    static final long SEED = 7;
    static final int SIZE = 40;

    private static SmallDataset instance;

    final Path root;
    final DatasetManifest manifest;
    final List<TrainingPair> pairs;
    final List<EvalQuery> queries;

    private SmallDataset(Path root, DatasetManifest manifest) throws IOException {
        this.root = root;
        this.manifest = manifest;
        this.pairs = DatasetJson.readPairs(root.resolve(DatasetManifest.PAIRS_FILE));
        this.queries = DatasetJson.readEvalQueries(root.resolve(DatasetManifest.EVAL_FILE));
    }

    static synchronized SmallDataset get() {
        if (instance == null) {
            try {
                Path root = Files.createTempDirectory("tessera-dataset-test");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
                DatasetManifest manifest = new DatasetGenerator(new RawFramesEncoder())
                        .generate(new DatasetSpec(SEED, SIZE), root);
                instance = new SmallDataset(root, manifest);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    static void delete(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort at exit: the directory is under the system temp dir
        }
    }

    ManifestItem item(String mediaId) {
        return manifest.items().stream().filter(i -> i.mediaId().equals(mediaId)).findFirst()
                .orElseThrow(() -> new AssertionError("no item " + mediaId));
    }
}
