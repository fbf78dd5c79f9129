package io.tessera.demo.run;

import io.tessera.events.Topics;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One demo run's own corner of the shared stack: a topic prefix, a Milvus collection prefix and a model store of its
 * own. Every run starts from the default model on empty topics and collections, so a second run prints the same
 * table as the first instead of finding its media already indexed (the catalog deduplicates) and its pairs already
 * trained on.
 *
 * @param runId       {@code demo-<base36 time>}: unique per run, usable in topic names
 * @param topicPrefix put before every topic name, e.g. {@code demo-lq3k9x.}
 * @param collectionPrefix put before every collection and alias name ({@code [A-Za-z0-9_]} only)
 * @param modelStore  the run's model store (the default model is installed there by the services)
 */
public record Namespace(String runId, String topicPrefix, String collectionPrefix, Path modelStore) {

    public static Namespace create(Path runsDir, long epochMillis) {
        String id = "demo-" + Long.toString(epochMillis, 36).toLowerCase(Locale.ROOT);
        return new Namespace(id, id + ".", id.replace('-', '_') + "_", runsDir.resolve(id).resolve("models"));
    }

    public String topic(String name) {
        return Topics.withPrefix(topicPrefix, name);
    }

    /**
     * The environment every service of the run gets (one name per setting, read by every service that needs it; a
     * service ignores variables of settings it does not read).
     *
     * @param fileRoots directories {@code file:} references may point into (the dataset)
     * @param tenant    the tenant search-api serves without API keys
     */
    public Map<String, String> serviceEnvironment(List<Path> fileRoots, String tenant) {
        String roots = fileRoots.stream().map(p -> p.toAbsolutePath().normalize().toString())
                .collect(Collectors.joining(","));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TESSERA_TOPICS_PREFIX", topicPrefix);
        env.put("TESSERA_MILVUS_COLLECTION_PREFIX", collectionPrefix);
        env.put("TESSERA_MODELS_DIR", modelStore.toString());
        env.put("TESSERA_FETCH_FILE_ROOTS", roots);
        // The trainer's pair buffer and feature cache: a fresh one, or it would find this run's pairs already known.
        env.put("TESSERA_TRAINER_DATA_DIR", modelStore.resolveSibling("trainer").toString());
        env.put("TESSERA_SEARCH_DEFAULT_TENANT", tenant);
        return env;
    }

    /**
     * The environment that points every service at one model: {@code tessera.model.name} and {@code version}, read
     * by the indexers, search-api and the trainer alike.
     */
    public static Map<String, String> modelEnvironment(String name, int version) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TESSERA_MODEL_NAME", name);
        env.put("TESSERA_MODEL_VERSION", Integer.toString(version));
        return env;
    }
}
