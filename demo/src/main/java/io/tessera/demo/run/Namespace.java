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
     * The environment every service of the run gets. Where services spell a setting differently (the model store:
     * {@code tessera.models.dir} and the indexers' {@code tessera.model.store-dir}; file roots per service) every
     * spelling is given; a service ignores the keys it does not know.
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
        env.put("TESSERA_MODEL_STORE_DIR", modelStore.toString());
        env.put("TESSERA_FETCH_FILE_ROOTS", roots);
        env.put("TESSERA_SEARCH_THUMBNAILS_FILE_ROOTS", roots);
        env.put("TESSERA_TRAINER_MEDIA_FILE_ROOTS", roots);
        // The trainer's pair buffer and feature cache: a fresh one, or it would find this run's pairs already known.
        env.put("TESSERA_TRAINER_DATA_DIR", modelStore.resolveSibling("trainer").toString());
        env.put("TESSERA_SEARCH_DEFAULT_TENANT", tenant);
        return env;
    }

    /**
     * The environment that points every service at one model: the indexers' {@code tessera.model.*}, search-api's
     * {@code tessera.search.model-name} and the trainer's {@code tessera.trainer.model-name} and
     * {@code base-version}.
     */
    public static Map<String, String> modelEnvironment(String name, int version) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TESSERA_MODEL_NAME", name);
        env.put("TESSERA_MODEL_VERSION", Integer.toString(version));
        env.put("TESSERA_SEARCH_MODEL_NAME", name);
        env.put("TESSERA_TRAINER_MODEL_NAME", name);
        env.put("TESSERA_TRAINER_BASE_VERSION", Integer.toString(version));
        return env;
    }
}
