package io.tessera.search.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tessera.embedding.model.DefaultModels;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.testing.LocalStack;
import io.tessera.testing.StackEndpoints;
import io.tessera.vectorstore.CollectionNaming;
import io.tessera.vectorstore.IndexType;
import io.tessera.vectorstore.MediaItem;
import io.tessera.vectorstore.ModelCollection;
import io.tessera.vectorstore.ModelSpec;
import io.tessera.vectorstore.VectorRow;
import io.tessera.vectorstore.VectorStore;
import io.tessera.vectorstore.VectorStoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * For {@link SearchApplicationsIT}: a collection under a unique prefix holding items whose vectors are chosen, not
 * embedded, so that every ranking is known in advance. Written through the vector store as the indexers write
 * (so the numeric view of attributes is the real one), queried by example ({@code mediaId}) through search-api.
 *
 * <p>Tenant {@value #TENANT}: {@value #QUERY} (the query item, vector e0); 30 images {@code img-00..img-29} at
 * angle {@code 0.03 i} from e0 (so ranked in index order), with attributes {@code camera} (x100 for even i, z9 for
 * odd), {@code year} from {@link #YEARS} and {@code shot} = 2024-01-(i+1) midnight UTC; 10 texts {@code txt-0..9} in
 * another direction; a video {@value #VIDEO} with three moments and a two-page document {@value #DOC}. Tenant
 * {@value #OTHER}: the same images under {@code b-img-..} with the same attributes, to show filters never cross.
 */
public class ApplicationCorpusResource implements QuarkusTestResourceLifecycleManager {

    static final String TENANT = "apps-a";
    static final String OTHER = "apps-b";
    static final String KEY = "apps-a-key-0001";
    static final String OTHER_KEY = "apps-b-key-0002";
    static final String QUERY = "query-item";
    static final String VIDEO = "a-video";
    static final String DOC = "a-doc";
    static final int IMAGES = 30;
    static final int TEXTS = 10;
    /** Chosen so that string order and numeric order disagree ("999" > "2020" as strings). */
    static final List<String> YEARS = List.of("999", "2019", "2020", "2021", "10000", "-5", "2020.5", "abc", "0099",
            "1e4");
    static final String CURSOR_SECRET = "apps-it-cursor-secret-0123";

    static volatile String collection;
    static volatile long writtenAfter;

    private VectorStore store;
    private CatalogStub catalog;
    private Path models;
    private String modelName;

    static String image(int i) {
        return String.format("img-%02d", i);
    }

    @Override
    public Map<String, String> start() {
        try {
            StackEndpoints stack = LocalStack.endpoints();
            models = Files.createTempDirectory("tessera-apps-it-models-");
            ModelDirectory tiny = DefaultModels.installBundled(new LocalModelStore(models), DefaultModels.TESSERA_TINY);
            String prefix = "it_apps_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "_";
            store = VectorStore.connect(VectorStoreConfig.defaults(stack.milvusUri())
                    .withNaming(new CollectionNaming(prefix)).withIndexType(IndexType.FLAT));
            modelName = tiny.ref().name();
            ModelSpec model = new ModelSpec(modelName, tiny.ref().version(), tiny.manifest().dimension());
            ModelCollection live = store.ensureCollection(model);
            collection = live.collection();
            writtenAfter = System.currentTimeMillis();
            store.replaceItems(live.collection(), items(model.dimension()));
            store.flush(live.collection());

            Map<String, String> owners = new HashMap<>();
            owners.put(QUERY, TENANT);
            owners.put(VIDEO, TENANT);
            owners.put(DOC, TENANT);
            owners.put(image(0), TENANT);
            owners.put("b-" + image(0), OTHER);
            catalog = new CatalogStub(owners);

            Map<String, String> config = new HashMap<>();
            config.put("quarkus.http.host", "127.0.0.1");
            config.put("tessera.milvus.uri", stack.milvusUri());
            config.put("tessera.milvus.collection-prefix", prefix);
            config.put("kafka.bootstrap.servers", stack.kafkaBootstrap());
            config.put("tessera.registry.url", stack.registryUrl());
            config.put("tessera.topics.prefix", prefix.replace('_', '-'));
            config.put("tessera.models.dir", models.toString());
            config.put("tessera.model.name", modelName);
            config.put("tessera.search.api-keys", KEY + "=" + TENANT + "," + OTHER_KEY + "=" + OTHER);
            config.put("tessera.search.cursor-secret", CURSOR_SECRET);
            config.put("tessera.search.catalog.url", catalog.url());
            config.put("tessera.search.thumbnails.enabled", "false");
            return config;
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the test items: " + e.getMessage(), e);
        }
    }

    private static List<MediaItem> items(int dimension) {
        List<MediaItem> items = new ArrayList<>();
        items.add(new MediaItem(QUERY, TENANT, List.of(VectorRow.whole(QUERY, TENANT, "IMAGE",
                direction(dimension, 0, 1, 0), Map.of("camera", "x100")))));
        for (int i = 0; i < IMAGES; i++) {
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("camera", i % 2 == 0 ? "x100" : "z9");
            attributes.put("year", YEARS.get(i % YEARS.size()));
            attributes.put("shot", String.format("2024-01-%02dT00:00:00Z", i + 1));
            float[] v = direction(dimension, 0, Math.cos(0.03 * i), Math.sin(0.03 * i));
            items.add(new MediaItem(image(i), TENANT, List.of(VectorRow.whole(image(i), TENANT, "IMAGE", v,
                    attributes))));
            items.add(new MediaItem("b-" + image(i), OTHER, List.of(VectorRow.whole("b-" + image(i), OTHER, "IMAGE",
                    v, attributes))));
        }
        for (int i = 0; i < TEXTS; i++) {
            float[] v = direction(dimension, 2, Math.cos(0.05 * i), Math.sin(0.05 * i));
            v[0] = 0.3f;
            items.add(new MediaItem("txt-" + i, TENANT, List.of(VectorRow.whole("txt-" + i, TENANT, "TEXT", v,
                    Map.of("camera", "none")))));
        }
        List<VectorRow> video = new ArrayList<>();
        video.add(VectorRow.whole(VIDEO, TENANT, "VIDEO", direction(dimension, 3, 1, 0.2), Map.of()));
        for (int m = 0; m < 3; m++) {
            video.add(new VectorRow(VIDEO, TENANT, "VIDEO", m, m * 2000L, m * 2000L + 1999, direction(dimension, 3, 1,
                    0.1 * m), Map.of()));
        }
        items.add(new MediaItem(VIDEO, TENANT, video));
        List<VectorRow> doc = new ArrayList<>();
        doc.add(VectorRow.whole(DOC, TENANT, "DOCUMENT", direction(dimension, 4, 1, 0.2), Map.of()));
        for (int p = 0; p < 2; p++) {
            doc.add(new VectorRow(DOC, TENANT, "DOCUMENT", p, null, null, direction(dimension, 4, 1, 0.3 * p),
                    Map.of()));
        }
        items.add(new MediaItem(DOC, TENANT, doc));
        return items;
    }

    /** {@code a e_axis + b e_(axis+1)} plus a small constant so no vector is orthogonal to every other. */
    private static float[] direction(int dimension, int axis, double a, double b) {
        float[] v = new float[dimension];
        v[axis] = (float) a;
        v[axis + 1] += (float) b;
        v[dimension - 1] = 0.01f;
        return v;
    }

    @Override
    public void stop() {
        if (catalog != null) {
            catalog.close();
        }
        if (store != null) {
            try {
                for (ModelCollection c : store.listCollections(modelName)) {
                    store.dropAlias(c.alias());
                }
                for (ModelCollection c : store.listCollections(modelName)) {
                    store.dropCollection(c.collection());
                }
            } finally {
                store.close();
            }
        }
        if (models != null) {
            try (Stream<Path> walk = Files.walk(models)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (Exception e) {
                // temp files only
            }
        }
    }
}
