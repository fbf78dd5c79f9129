package io.tessera.trainer.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tessera.events.ModelStatus;
import io.tessera.events.ModelVersion;
import io.tessera.events.SoupIngredient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The trainer's record of every finished round, written (atomically, synced) before anything is published: the
 * version it reserved, the model it wrote, the verdict, and which of the round's {@code ModelVersion} records have
 * been published. After a crash, the trainer re-publishes exactly the records a round is still missing (checking
 * {@code models.published} first), so no version is lost and none is published twice. One JSON file per version
 * under {@code <dataDir>/rounds/}.
 */
public final class RoundLedger {

    /**
     * @param decision  PROMOTED or REJECTED
     * @param published the statuses already on models.published (CANDIDATE, then the decision)
     * @param pairSequence the pair store's high-water mark this round trained on
     */
    public record Entry(String modelName, int version, Integer parentVersion, String artifactUri, String sha256,
                        int dimension, String decision, Map<String, Double> metrics, List<Ingredient> ingredients,
                        long pairsTrained, long createdAtMillis, long pairSequence, Set<String> published) {

        public Entry {
            metrics = new TreeMap<>(metrics);
            ingredients = List.copyOf(ingredients);
            published = new LinkedHashSet<>(published == null ? Set.of() : published);
        }

        public record Ingredient(String runId, double weight, Map<String, Double> metrics) {
        }

        /** The statuses this round publishes, in order. */
        public List<ModelStatus> statuses() {
            return List.of(ModelStatus.CANDIDATE, ModelStatus.valueOf(decision));
        }

        public boolean fullyPublished() {
            return statuses().stream().allMatch(s -> published.contains(s.name()));
        }

        public Entry withPublished(ModelStatus status) {
            Set<String> p = new LinkedHashSet<>(published);
            p.add(status.name());
            return new Entry(modelName, version, parentVersion, artifactUri, sha256, dimension, decision, metrics,
                    ingredients, pairsTrained, createdAtMillis, pairSequence, p);
        }

        /** The {@code ModelVersion} record of this round with the given status. */
        public ModelVersion toEvent(ModelStatus status) {
            return ModelVersion.newBuilder()
                    .setModelName(modelName)
                    .setVersion(version)
                    .setParentVersion(parentVersion)
                    .setArtifactUri(artifactUri)
                    .setSha256(sha256)
                    .setDimension(dimension)
                    .setStatus(status)
                    .setMetrics(new TreeMap<>(metrics))
                    .setSoupIngredients(ingredients.stream()
                            .map(i -> new SoupIngredient(i.runId(), i.weight(), new TreeMap<>(i.metrics()))).toList())
                    .setPairsTrained(pairsTrained)
                    .setCreatedAt(Instant.ofEpochMilli(createdAtMillis))
                    .build();
        }
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Path dir;

    public RoundLedger(Path dataDir) {
        this.dir = dataDir.resolve("rounds");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /** Writes (or replaces) the entry of its version; returns when it is on disk. */
    public synchronized void save(Entry entry) {
        Path file = dir.resolve(entry.modelName() + "-v" + entry.version() + ".json");
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try {
            Files.write(tmp, JSON.writeValueAsBytes(entry));
            try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                c.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write round ledger entry " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every entry of a model, by version. */
    public synchronized List<Entry> entries(String modelName) {
        List<Entry> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, modelName + "-v*.json")) {
            for (Path f : files) {
                Entry e = JSON.readValue(f.toFile(), Entry.class);
                if (e.modelName().equals(modelName)) {
                    out.add(e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the round ledger in " + dir + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparingInt(Entry::version));
        return out;
    }

    public List<Integer> versions(String modelName) {
        return entries(modelName).stream().map(Entry::version).toList();
    }
}
