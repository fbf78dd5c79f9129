package io.tessera.trainer.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tessera.demo.dataset.DatasetGenerator;
import io.tessera.demo.dataset.DatasetJson;
import io.tessera.demo.dataset.DatasetManifest;
import io.tessera.demo.dataset.DatasetSpec;
import io.tessera.stack.StackConfig;
import io.tessera.testing.LocalStack;
import io.tessera.testing.StackEndpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * The trainer IT's world: the local stack (shared), unique topics under a per-run prefix, a generated dataset, and
 * fresh data and model-store directories. Returns only configuration overrides.
 */
public final class TrainerStackResource implements QuarkusTestResourceLifecycleManager {

    static final int DATASET_SIZE = 120;
    static String prefix;
    static Path dataset;
    static Path models;
    static StackEndpoints stack;
    static int pairs;

    @Override
    public Map<String, String> start() {
        stack = LocalStack.endpoints();
        prefix = "it-trainer-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        try {
            Path work = Path.of(System.getProperty("tessera.test.work", "target/test-work")).toAbsolutePath();
            Files.createDirectories(work);
            Path run = Files.createTempDirectory(work, "trainer-it-");
            dataset = run.resolve("dataset");
            models = run.resolve("models");
            // The version trained from, in the trainer's local store: the service's jar bundles no tessera-tiny (only
            // the tests have that jar), as ServiceRunner and the indexer ITs install it for their services.
            io.tessera.embedding.model.DefaultModels.installBundled(new io.tessera.embedding.model.LocalModelStore(models),
                    io.tessera.embedding.model.DefaultModels.TESSERA_TINY);
            new DatasetGenerator().generate(new DatasetSpec(42, DATASET_SIZE), dataset);
            pairs = DatasetJson.readPairs(dataset.resolve(DatasetManifest.PAIRS_FILE)).size();
            return Map.ofEntries(
                    Map.entry("kafka.bootstrap.servers", stack.kafkaBootstrap()),
                    Map.entry("tessera.registry.url", stack.registryUrl()),
                    Map.entry("tessera.topics.prefix", prefix),
                    Map.entry("tessera.trainer.group-id", prefix + "trainer"),
                    Map.entry("tessera.trainer.data-dir", run.resolve("trainer").toString()),
                    Map.entry("tessera.models.dir", models.toString()),
                    // Versions are uploaded to the local stack's object store, as in a cluster without shared volumes.
                    Map.entry("tessera.model-store.uri", modelStoreUri()),
                    Map.entry("tessera.model-store.s3.endpoint", StackConfig.fromEnvironment().s3Endpoint()),
                    Map.entry("tessera.model-store.s3.region", StackConfig.S3_REGION),
                    Map.entry("tessera.model-store.s3.access-key", StackConfig.S3_ACCESS_KEY),
                    Map.entry("tessera.model-store.s3.secret-key", StackConfig.S3_SECRET_KEY),
                    // The IT's figures are tessera-tiny's (a tiny model is the point here: fast rounds).
                    Map.entry("tessera.model.name", "tessera-tiny"),
                    Map.entry("tessera.fetch.file-roots", dataset.toString()),
                    // One round once every pair of the dataset is in.
                    Map.entry("tessera.trainer.round.after-new-pairs", Integer.toString(pairs)),
                    Map.entry("tessera.trainer.round.interval", "0s"),
                    Map.entry("tessera.trainer.round.check-every", "1s"));
        } catch (Exception e) {
            throw new IllegalStateException("cannot prepare the trainer IT: " + e.getMessage(), e);
        }
    }

    /** Where this run's versions are published. */
    static String modelStoreUri() {
        return "s3://" + StackConfig.S3_BUCKET + "/" + prefix + "models/";
    }

    @Override
    public void stop() {
        // The stack is shared; the directories stay under target/ for inspection.
    }
}
