package io.tessera.search.it;

import static io.restassured.RestAssured.given;
import static io.tessera.search.it.Corpus.ACME;
import static io.tessera.search.it.Corpus.ACME_KEY;
import static io.tessera.search.it.Corpus.ACME_RED;
import static io.tessera.search.it.Corpus.ACME_TEXT;
import static io.tessera.search.it.Corpus.ACME_VIDEO;
import static io.tessera.search.it.Corpus.GLOBEX_KEY;
import static io.tessera.search.it.Corpus.GLOBEX_VIDEO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The search page as a person uses it (headless Chromium, src/test/browser/results-page.mjs), with what it relies on:
 * passages in search results and the content endpoint with range requests and signed links, under the tenant check.
 * The corpus is {@link Corpus}'s (deterministic pictures, a video, a PDF and a text, indexed by the real indexer
 * pipeline with tessera-tiny).
 *
 * <p>The screenshot of one results page is compared with {@value #REFERENCE}; regenerate it after an intended change
 * of the page with {@code ./mvnw -B -o -pl services/search-api verify -Dit.test=SearchPageIT -D}{@value #UPDATE_PROPERTY}
 * {@code =true} (Debian's chromium and its fonts: the reference was made there) and look at it before checking it in.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = IndexedCorpusResource.class, restrictToAnnotatedClass = true)
class SearchPageIT {

    static final String UPDATE_PROPERTY = "tessera.test.update-page-reference";
    static final String REFERENCE = "src/test/browser/reference/results-page.png";

    private static JsonPath search(String key, Map<String, Object> body) {
        return given().header("X-Api-Key", key).contentType(ContentType.JSON).body(body).post("/v1/search")
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void textAndDocumentHitsCarryTheirPassages() {
        JsonPath answer = search(ACME_KEY, Map.of("text", "report", "modalities", List.of("DOCUMENT", "TEXT")));
        Map<String, Object> passages = new LinkedHashMap<>();
        List<Map<String, Object>> hits = answer.getList("hits");
        hits.forEach(h -> passages.put((String) h.get("mediaId"), h.get("passage")));
        assertThat(passages).containsEntry(ACME_TEXT, "a short report about orange triangles");
        // A document hit lists its best pages, each with its own text (the best one may be the page without any).
        List<Map<String, Object>> pages = answer.getList("hits.find { it.mediaId == 'acme-doc' }.pages");
        assertThat(pages).anySatisfy(p -> {
            assertThat(p.get("page")).isEqualTo(1);
            assertThat(p.get("passage")).isEqualTo("Quarterly report");
        });
        JsonPath raw = search(ACME_KEY, Map.of("text", "report", "modalities", List.of("DOCUMENT"), "rawSegments", true));
        List<Map<String, Object>> rows = raw.getList("hits");
        assertThat(rows).anySatisfy(r -> {
            assertThat(r.get("page")).isEqualTo(1);
            assertThat(r.get("passage")).isEqualTo("Quarterly report");
        });
        assertThat(rows).anySatisfy(r -> {
            assertThat(r.get("page")).as("the green page has no text").isEqualTo(2);
            assertThat(r).doesNotContainKey("passage");
        });
        JsonPath images = search(ACME_KEY, Map.of("text", "red", "modalities", List.of("IMAGE")));
        assertThat(images.getList("hits", Map.class)).allSatisfy(h -> assertThat(h).doesNotContainKey("passage"));
    }

    @Test
    void contentIsServedWithRangeRequestsToItsTenantOnly() throws Exception {
        await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                given().header("X-Api-Key", ACME_KEY).get("/v1/media/{id}/content", ACME_VIDEO).then().statusCode(200));
        byte[] whole = given().header("X-Api-Key", ACME_KEY).get("/v1/media/{id}/content", ACME_VIDEO).then()
                .statusCode(200).contentType("video/mp4").header("Accept-Ranges", "bytes")
                .header("X-Content-Type-Options", "nosniff").extract().asByteArray();
        byte[] onDisk = Files.readAllBytes(Corpus.current.mediaDir.resolve(ACME + "-yellow-then-green.mp4"));
        assertThat(whole).isEqualTo(onDisk);
        int n = whole.length;

        Response part = given().header("X-Api-Key", ACME_KEY).header("Range", "bytes=100-199")
                .get("/v1/media/{id}/content", ACME_VIDEO);
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.header("Content-Range")).isEqualTo("bytes 100-199/" + n);
        assertThat(part.header("Content-Length")).isEqualTo("100");
        assertThat(part.asByteArray()).isEqualTo(Arrays.copyOfRange(whole, 100, 200));
        Response open = given().header("X-Api-Key", ACME_KEY).header("Range", "bytes=" + (n - 10) + "-")
                .get("/v1/media/{id}/content", ACME_VIDEO);
        assertThat(open.statusCode()).isEqualTo(206);
        assertThat(open.asByteArray()).isEqualTo(Arrays.copyOfRange(whole, n - 10, n));
        Response suffix = given().header("X-Api-Key", ACME_KEY).header("Range", "bytes=-5")
                .get("/v1/media/{id}/content", ACME_VIDEO);
        assertThat(suffix.header("Content-Range")).isEqualTo("bytes " + (n - 5) + "-" + (n - 1) + "/" + n);
        for (String bad : List.of("bytes=" + n + "-", "bytes=50-10", "bytes=x-y")) {
            given().header("X-Api-Key", ACME_KEY).header("Range", bad).get("/v1/media/{id}/content", ACME_VIDEO)
                    .then().statusCode(416).header("Content-Range", "bytes */" + n);
        }
        String etag = part.header("ETag");
        given().header("X-Api-Key", ACME_KEY).header("Range", "bytes=0-9").header("If-Range", "\"stale\"")
                .get("/v1/media/{id}/content", ACME_VIDEO).then().statusCode(200);
        given().header("X-Api-Key", ACME_KEY).header("Range", "bytes=0-9").header("If-Range", etag)
                .get("/v1/media/{id}/content", ACME_VIDEO).then().statusCode(206);
        // Inline content (read back from the catalog record) too.
        assertThat(given().header("X-Api-Key", ACME_KEY).get("/v1/media/{id}/content", ACME_RED).then().statusCode(200)
                .contentType("image/png").extract().asByteArray()).isEqualTo(Corpus.current.redPng);

        // The tenant check: another tenant's item does not exist for this key; no key, no content.
        given().header("X-Api-Key", ACME_KEY).get("/v1/media/{id}/content", GLOBEX_VIDEO).then().statusCode(404);
        given().header("X-Api-Key", ACME_KEY).queryParam("tenant", "globex").get("/v1/media/{id}/content", GLOBEX_VIDEO)
                .then().statusCode(403);
        given().get("/v1/media/{id}/content", ACME_VIDEO).then().statusCode(401);
        given().header("X-Api-Key", ACME_KEY).get("/v1/media/{id}/content", ACME_TEXT).then().statusCode(404);
        given().header("X-Api-Key", GLOBEX_KEY).get("/v1/media/{id}/content", GLOBEX_VIDEO).then().statusCode(200);
    }

    /** An s3:// reference (the local stack's SeaweedFS, tessera.fetch.s3.*) is served exactly as a file is. */
    @Test
    void contentInTheObjectStoreIsServedLikeAFile() {
        byte[] video = Corpus.current.globexVideo;
        int n = video.length;
        assertThat(given().header("X-Api-Key", GLOBEX_KEY).get("/v1/media/{id}/content", GLOBEX_VIDEO).then()
                .statusCode(200).contentType("video/mp4").header("Accept-Ranges", "bytes").extract().asByteArray())
                .isEqualTo(video);
        Response part = given().header("X-Api-Key", GLOBEX_KEY).header("Range", "bytes=10-59")
                .get("/v1/media/{id}/content", GLOBEX_VIDEO);
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.header("Content-Range")).isEqualTo("bytes 10-59/" + n);
        assertThat(part.asByteArray()).isEqualTo(Arrays.copyOfRange(video, 10, 60));
        given().header("X-Api-Key", GLOBEX_KEY).header("Range", "bytes=" + n + "-")
                .get("/v1/media/{id}/content", GLOBEX_VIDEO).then().statusCode(416).header("Content-Range", "bytes */" + n);
        given().header("X-Api-Key", GLOBEX_KEY).get("/v1/media/{id}/thumbnail", GLOBEX_VIDEO).then().statusCode(200)
                .contentType("image/jpeg");
        // The tenant check comes before the store is asked: another tenant's key sees nothing.
        given().header("X-Api-Key", ACME_KEY).get("/v1/media/{id}/content", GLOBEX_VIDEO).then().statusCode(404);
        given().header("X-Api-Key", ACME_KEY).get("/v1/media/{id}/thumbnail", GLOBEX_VIDEO).then().statusCode(404);
    }

    @Test
    void signedLinksPlayWithoutTheKeyForTheirItemOnly() {
        String url = given().header("X-Api-Key", ACME_KEY).post("/v1/media/{id}/content/link", ACME_VIDEO).then()
                .statusCode(200).extract().jsonPath().getString("url");
        assertThat(url).startsWith("/v1/media/" + ACME_VIDEO + "/content?tenant=acme&expires=").contains("&signature=");
        await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                given().header("Range", "bytes=0-99").get(url).then().statusCode(206));
        // The same signature for another item, another tenant or a later expiry is refused.
        given().get(url.replace(ACME_VIDEO, ACME_RED)).then().statusCode(403);
        given().get(url.replace("tenant=acme", "tenant=globex")).then().statusCode(403);
        given().get(url.replaceAll("expires=(\\d+)", "expires=9$1")).then().statusCode(403);
        // A link is only handed out under the tenant check.
        given().post("/v1/media/{id}/content/link", ACME_VIDEO).then().statusCode(401);
        given().header("X-Api-Key", ACME_KEY).queryParam("tenant", "globex")
                .post("/v1/media/{id}/content/link", GLOBEX_VIDEO).then().statusCode(403);
        // Another tenant's signed link to its own item does not reach into acme's.
        String globex = given().header("X-Api-Key", GLOBEX_KEY).post("/v1/media/{id}/content/link", ACME_VIDEO).then()
                .statusCode(200).extract().jsonPath().getString("url");
        given().get(globex).then().statusCode(404);
        assertThat(given().get("/q/openapi").asString()).contains("/v1/media/{mediaId}/content",
                "/v1/media/{mediaId}/content/link");
    }

    @Test
    void resultsPageInHeadlessChromium() throws Exception {
        Path browserDir = Path.of(System.getProperty("tessera.test.browser-dir", "src/test/browser"));
        Path chromium = Path.of(System.getProperty("tessera.chromium", "/usr/bin/chromium"));
        String node = BrowserTools.find("node");
        boolean ready = Files.isExecutable(chromium) && node != null
                && Files.isDirectory(browserDir.resolve("node_modules/playwright-core"));
        if (!ready) {
            BrowserTools.loudSkip(chromium, node, browserDir);
        }
        Assumptions.assumeTrue(ready, "chromium, node or playwright-core missing (see the message above)");
        Path out = Files.createDirectories(Path.of("target", "search-page"));
        Path screenshot = out.resolve("results-page.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("url", "http://127.0.0.1:" + RestAssured.port + "/");
        spec.put("chromium", chromium.toString());
        spec.put("apiKey", ACME_KEY);
        spec.put("mixedText", "green");
        spec.put("passageText", "quarterly report");
        spec.put("expectDocumentPassage", "Quarterly report");
        spec.put("expectTextPassage", "a short report about orange triangles");
        spec.put("expectMarked", List.of("quarterly", "report"));
        spec.put("videoText", "green");
        spec.put("expectVideo", ACME_VIDEO);
        spec.put("screenshotText", "green report");
        spec.put("screenshot", screenshot.toString());
        BrowserTools.Result result = BrowserTools.runNode(node, browserDir, "results-page.mjs", spec, Duration.ofMinutes(4));
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("\"ok\":true");

        Path reference = Path.of(REFERENCE);
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            Files.createDirectories(reference.getParent());
            Files.copy(screenshot, reference, StandardCopyOption.REPLACE_EXISTING);
            System.err.println("[search page] reference screenshot regenerated: " + reference.toAbsolutePath());
            return;
        }
        assertThat(reference).as("no reference screenshot: make one with -D" + UPDATE_PROPERTY + "=true").exists();
        ScreenshotComparison.Result compared = ScreenshotComparison.compare(screenshot, reference, out);
        System.out.println("[search page] " + compared.message());
        assertThat(compared.matches()).as(compared.message()).isTrue();
    }
}
