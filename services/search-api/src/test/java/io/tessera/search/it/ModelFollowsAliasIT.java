package io.tessera.search.it;

import static io.restassured.RestAssured.given;
import static io.tessera.search.it.Corpus.ACME;
import static io.tessera.search.it.Corpus.ACME_KEY;
import static io.tessera.search.it.Corpus.ACME_RED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.RuntimeConfig;
import io.tessera.embedding.TextInput;
import io.tessera.embedding.model.DefaultModels;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.model.ModelRef;
import io.tessera.embedding.model.ModelVersions;
import io.tessera.vectorstore.ModelCollection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The query is encoded with the model version that made the collection behind the alias, read from Milvus, never
 * assumed: after the alias flips to a version 2 whose embedding space is a rotation of version 1's (a query of
 * version 1 against vectors of version 2 would score at random), the service loads version 2 from the model store,
 * hot-swaps it in, and scores exactly as version 2 does.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = IndexedCorpusResource.class, restrictToAnnotatedClass = true)
class ModelFollowsAliasIT {

    private static JsonPath searchRed() {
        return given().header("X-Api-Key", ACME_KEY).contentType(ContentType.JSON)
                .body(Map.of("text", "a red circle", "topK", 3, "modalities", List.of("IMAGE"))).post("/v1/search")
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void queriesFollowTheAliasToANewModelVersion() throws Exception {
        Corpus corpus = Corpus.current;
        JsonPath before = searchRed();
        assertThat(before.getInt("model.version")).isEqualTo(1);
        assertThat(before.getString("hits[0].mediaId")).isEqualTo(ACME_RED);

        LocalModelStore models = new LocalModelStore(corpus.modelsDir);
        ModelDirectory v1 = models.open(DefaultModels.TESSERA_TINY);
        ModelDirectory v2 = models.install(rotated(v1, 2, corpus.dir.resolve("v2-build")));
        ModelCollection c2 = corpus.indexWith(v2);
        corpus.store().pointAlias(corpus.alias(), c2.collection());

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> searchRed().getInt("model.version") == 2);
        JsonPath after = searchRed();
        assertThat(after.getString("collection")).isEqualTo(c2.collection());
        assertThat(after.getString("hits[0].mediaId")).isEqualTo(ACME_RED);

        float[] red2 = corpus.store().wholeItemVector(c2.collection(), ACME, ACME_RED).orElseThrow();
        float expected;
        float ifEncodedByV1;
        try (EmbeddingRuntime r1 = EmbeddingRuntime.start(v1, RuntimeConfig.defaults().withWarmUp(false));
             EmbeddingRuntime r2 = EmbeddingRuntime.start(v2, RuntimeConfig.defaults().withWarmUp(false))) {
            TextInput query = TextInput.of("a red circle", "search");
            expected = dot(r2.embedTexts(List.of(query)).getFirst().vector(), red2);
            ifEncodedByV1 = dot(r1.embedTexts(List.of(query)).getFirst().vector(), red2);
        }
        // The test can tell the versions apart: a v1-encoded query would score visibly differently.
        assertThat(Math.abs(expected - ifEncodedByV1)).isGreaterThan(0.05f);
        assertThat(after.getFloat("hits[0].score")).isCloseTo(expected, within(2e-3f));
        assertThat(given().get("/q/health/ready").asString()).contains("tessera-tiny/2");
    }

    /**
     * Version {@code version} of the model with the output coordinates of both projections permuted and
     * sign-flipped: an orthogonal map, so v2 ranks exactly like v1 within itself, while v1 and v2 vectors are
     * unrelated to each other.
     */
    static ModelDirectory rotated(ModelDirectory source, int version, Path target) throws Exception {
        Map<String, ModelVersions.Weights> weights = ModelVersions.projections(source);
        int rows = weights.values().iterator().next().rows();
        Random random = new Random(7);
        int[] perm = new int[rows];
        float[] sign = new float[rows];
        for (int i = 0; i < rows; i++) {
            perm[i] = i;
            sign[i] = random.nextBoolean() ? 1f : -1f;
        }
        for (int i = rows - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        Map<String, float[]> replaced = new HashMap<>();
        for (ModelVersions.Weights w : weights.values()) {
            float[] out = new float[w.values().length];
            for (int r = 0; r < w.rows(); r++) {
                for (int c = 0; c < w.columns(); c++) {
                    out[r * w.columns() + c] = sign[r] * w.values()[perm[r] * w.columns() + c];
                }
            }
            replaced.put(w.initializer(), out);
        }
        Files.createDirectories(target.getParent());
        ModelDirectory derived = ModelVersions.derive(source, version, replaced, target);
        assertThat(derived.ref()).isEqualTo(new ModelRef(source.ref().name(), version));
        return derived;
    }

    private static float dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return (float) s;
    }
}
