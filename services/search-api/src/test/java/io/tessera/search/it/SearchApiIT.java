package io.tessera.search.it;

import static io.restassured.RestAssured.given;
import static io.tessera.search.it.Corpus.ACME;
import static io.tessera.search.it.Corpus.ACME_BLUE;
import static io.tessera.search.it.Corpus.ACME_DOC;
import static io.tessera.search.it.Corpus.ACME_ITEMS;
import static io.tessera.search.it.Corpus.ACME_KEY;
import static io.tessera.search.it.Corpus.ACME_RED;
import static io.tessera.search.it.Corpus.ACME_TEXT;
import static io.tessera.search.it.Corpus.ACME_VIDEO;
import static io.tessera.search.it.Corpus.GLOBEX;
import static io.tessera.search.it.Corpus.GLOBEX_ITEMS;
import static io.tessera.search.it.Corpus.GLOBEX_KEY;
import static io.tessera.search.it.Corpus.GLOBEX_GREEN;
import static io.tessera.search.it.Corpus.GLOBEX_RED;
import static io.tessera.search.it.Corpus.GLOBEX_VIDEO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.tessera.client.api.SearchQuery;
import io.tessera.client.api.SearchResponse;
import io.tessera.client.api.SearchResult;
import io.tessera.client.search.Filters;
import io.tessera.client.search.SearchApiException;
import io.tessera.client.search.SearchClient;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * search-api as built ({@code quarkus-run.jar}) against the local stack with a really indexed corpus: every query
 * kind, grouping, tenant isolation for every combination of request fields, the errors, the catalog proxy,
 * thumbnails, and the search page in headless Chromium.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = IndexedCorpusResource.class, restrictToAnnotatedClass = true)
class SearchApiIT {

    private static Corpus corpus() {
        return Corpus.current;
    }

    private static RequestSpecification as(String key) {
        return given().header("X-Api-Key", key);
    }

    private static JsonPath search(String key, Map<String, Object> body) {
        return as(key).contentType(ContentType.JSON).body(body).post("/v1/search")
                .then().statusCode(200).extract().jsonPath();
    }

    private static Response searchRaw(String key, Map<String, Object> body) {
        RequestSpecification r = key == null ? given() : as(key);
        return r.contentType(ContentType.JSON).body(body).post("/v1/search");
    }

    private static List<String> ids(JsonPath answer) {
        return answer.getList("hits.mediaId", String.class);
    }

    // ------------------------------------------------------------------ query kinds

    @Test
    void textQueryFindsTheMatchingImageAndReportsTheLiveModelVersion() {
        // Texts: the untrained tiny model ranks any text above any picture for a text query (text-to-text
        // similarity is high), so the picture search names the modality, as a user would.
        JsonPath answer = search(ACME_KEY, Map.of("text", "a red circle", "modalities", List.of("IMAGE")));
        assertThat(ids(answer)).first().isEqualTo(ACME_RED);
        assertThat(answer.getString("model.name")).isEqualTo("tessera-tiny");
        assertThat(answer.getInt("model.version")).isEqualTo(1);
        assertThat(answer.getString("collection")).isEqualTo(corpus().collectionPrefix + "tessera_tiny_v1");
        assertThat(answer.getString("tenant")).isEqualTo(ACME);
        assertThat(answer.getFloat("hits[0].score")).isBetween(0.0f, 1.0001f);
        assertThat(answer.getString("hits[0].attributes.title")).isEqualTo("a red circle");
        assertThat(answer.getString("hits[0].modality")).isEqualTo("IMAGE");
        assertThat(answer.getInt("hits[0].segment")).isEqualTo(-1);
    }

    @Test
    void aSearchOverEveryModalitySaysHowItMergedThemAndKeepsTheRawScores() {
        JsonPath all = search(ACME_KEY, Map.of("text", "a red circle", "topK", 10));
        assertThat(all.getString("fusion")).isEqualTo("zscore");
        assertThat(all.getList("hits.modality", String.class)).contains("IMAGE", "TEXT");
        List<Float> fused = all.getList("hits.fusedScore", Float.class);
        assertThat(fused).doesNotContainNull().isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(all.getList("hits.score", Float.class)).allSatisfy(s -> assertThat(s).isBetween(-1f, 1.0001f));
        // The first picture is still the red one, wherever the merged list places it.
        int firstImage = all.getList("hits.modality", String.class).indexOf("IMAGE");
        assertThat(all.getString("hits[" + firstImage + "].mediaId")).isEqualTo(ACME_RED);

        JsonPath raw = search(ACME_KEY, Map.of("text", "a red circle", "topK", 10, "fusion", "none"));
        assertThat(raw.getString("fusion")).isEqualTo("none");
        assertThat(raw.getList("hits.fusedScore")).containsOnlyNulls();
        assertThat(raw.getList("hits.score", Float.class)).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        as(ACME_KEY).contentType("application/json").body(Map.of("text", "x", "fusion", "best"))
                .post("/v1/search").then().statusCode(400);

        JsonPath one = search(ACME_KEY, Map.of("text", "a red circle", "modalities", List.of("IMAGE")));
        assertThat(one.getString("fusion")).isNull();
        assertThat(one.getList("hits.fusedScore")).containsOnlyNulls();
    }

    @Test
    void aVideoAppearsOnceWithItsBestMomentsAtTheRightTime() {
        JsonPath answer = search(ACME_KEY, Map.of("text", "green", "modalities", List.of("VIDEO")));
        assertThat(ids(answer)).containsExactly(ACME_VIDEO);
        List<Map<String, Object>> moments = answer.getList("hits[0].moments");
        // The indexer merges the three yellow and the three green seconds into one moment each: the green one first.
        assertThat(moments).hasSize(2);
        assertThat(((Number) moments.getFirst().get("startMs")).longValue()).isEqualTo(3000L);
        assertThat(((Number) moments.getFirst().get("endMs")).longValue()).isEqualTo(6000L);
        assertThat(((Number) moments.get(1).get("startMs")).longValue()).isEqualTo(0L);
        assertThat(moments).allSatisfy(m -> assertThat(m).containsKeys("segment", "startMs", "endMs", "score"));
        assertThat(answer.getLong("hits[0].startMs")).isNotNull();
    }

    @Test
    void aDocumentAppearsOnceWithItsBestPage() throws Exception {
        // The indexer blends each page's text layer into its vector: page 1 ("Quarterly report") is found by its
        // words. With the untrained tiny model any text query now prefers that page (text-to-text similarity is
        // high), so the green page 2, which has no text, is found by a green picture.
        JsonPath byText = search(ACME_KEY, Map.of("text", "quarterly report", "modalities", List.of("DOCUMENT")));
        assertThat(ids(byText)).containsExactly(ACME_DOC);
        assertThat(byText.getInt("hits[0].pages[0].page")).isEqualTo(1);
        assertThat(byText.getInt("hits[0].pages[0].segment")).isEqualTo(0);
        String green = Base64.getEncoder().encodeToString(Corpus.png(Corpus.shape(Corpus.GREEN, "big-square", 0)));
        JsonPath byImage = search(ACME_KEY, Map.of("image", green, "modalities", List.of("DOCUMENT")));
        assertThat(ids(byImage)).containsExactly(ACME_DOC);
        assertThat(byImage.getInt("hits[0].pages[0].page")).isEqualTo(2);
        assertThat(byImage.getInt("hits[0].pages[0].segment")).isEqualTo(1);
    }

    @Test
    void groupedResultsNameEveryItemOnceAndRawSegmentsReturnRows() {
        JsonPath grouped = search(ACME_KEY, Map.of("text", "green", "topK", 10));
        assertThat(ids(grouped)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ACME_ITEMS);
        JsonPath raw = search(ACME_KEY, Map.of("text", "green", "topK", 20, "rawSegments", true));
        assertThat(raw.getBoolean("grouped")).isFalse();
        List<String> rows = ids(raw);
        // acme holds 9 rows, all of them found: 2 images, the video's whole row and its 2 moments (the indexer
        // merges the 3 yellow and the 3 green seconds), the document's whole row and its 2 pages, and the text (one
        // chunk: its whole row only).
        assertThat(rows).hasSize(9);
        assertThat(rows.stream().filter(ACME_VIDEO::equals).count()).isEqualTo(3);
        assertThat(rows.stream().filter(ACME_DOC::equals).count()).isEqualTo(3);
        List<String> rowKeys = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            rowKeys.add(rows.get(i) + "#" + raw.getInt("hits[" + i + "].segment"));
        }
        assertThat(rowKeys).doesNotHaveDuplicates();
        assertThat(raw.getList("hits.moments")).containsOnlyNulls();
    }

    @Test
    void base64ImageQueryFindsTheSamePicture() throws Exception {
        String image = Base64.getEncoder().encodeToString(corpus().bluePng);
        JsonPath answer = search(ACME_KEY, Map.of("image", image));
        assertThat(ids(answer)).first().isEqualTo(ACME_BLUE);
        assertThat(answer.getFloat("hits[0].score")).isGreaterThan(0.99f);
        JsonPath dataUrl = search(ACME_KEY, Map.of("image", "data:image/png;base64," + image, "topK", 1));
        assertThat(ids(dataUrl)).containsExactly(ACME_BLUE);
    }

    @Test
    void multipartImageUploadFindsTheMatchingItem() {
        JsonPath answer = as(ACME_KEY).multiPart("image", corpus().redQueryImage.toFile(), "image/png")
                .multiPart("topK", "3").post("/v1/search").then().statusCode(200).extract().jsonPath();
        assertThat(ids(answer)).hasSize(3).first().isEqualTo(ACME_RED);
        assertThat(answer.getString("query")).isEqualTo("image");
    }

    @Test
    void mediaIdQueryUsesTheStoredVectorAndLeavesTheItemOut() {
        JsonPath answer = search(ACME_KEY, Map.of("mediaId", ACME_VIDEO, "topK", 10));
        assertThat(ids(answer)).doesNotContain(ACME_VIDEO).isNotEmpty();
        assertThat(answer.getString("query")).isEqualTo("mediaId");
    }

    @Test
    void modalityFilterKeepsOnlyThoseModalities() {
        for (String modality : List.of("IMAGE", "VIDEO", "DOCUMENT", "TEXT")) {
            JsonPath answer = search(ACME_KEY, Map.of("text", "report", "modalities", List.of(modality.toLowerCase())));
            assertThat(answer.getList("hits.modality", String.class)).isNotEmpty().containsOnly(modality);
        }
        JsonPath text = search(ACME_KEY, Map.of("text", "orange triangles", "modalities", List.of("TEXT")));
        assertThat(ids(text)).containsExactly(ACME_TEXT);
    }

    // ------------------------------------------------------------------ tenant isolation

    /** Every request variant tried for isolation: body fields (tenant aside) and how it is sent. */
    private List<Function<Map<String, Object>, Response>> variants(String key, Map<String, String> extraHeaders) {
        String red = Base64.getEncoder().encodeToString(corpus().redPng);
        List<Map<String, Object>> bodies = new ArrayList<>();
        for (Map<String, Object> query : List.<Map<String, Object>>of(Map.of("text", "red circle"),
                Map.of("text", "green"), Map.of("text", "report"), Map.of("image", red))) {
            // The widest reach first: every row, every item.
            bodies.add(with(with(query, "rawSegments", true), "topK", 1000));
            bodies.add(with(query, "topK", 1000));
            for (String m : List.of("IMAGE", "VIDEO", "DOCUMENT", "TEXT")) {
                bodies.add(with(query, "modalities", List.of(m)));
            }
            bodies.add(with(query, "modalities", List.of("IMAGE", "VIDEO", "DOCUMENT", "TEXT")));
        }
        List<Function<Map<String, Object>, Response>> out = new ArrayList<>();
        for (Map<String, Object> body : bodies) {
            out.add(tenantField -> {
                Map<String, Object> b = new LinkedHashMap<>(body);
                b.putAll(tenantField);
                return given().headers(extraHeaders).header(key.startsWith("Bearer ") ? "Authorization" : "X-Api-Key",
                        key).contentType(ContentType.JSON).body(b).post("/v1/search");
            });
        }
        // The multipart form, with its own tenant field.
        out.add(tenantField -> {
            RequestSpecification r = given().headers(extraHeaders)
                    .header(key.startsWith("Bearer ") ? "Authorization" : "X-Api-Key", key)
                    .multiPart("image", corpus().redQueryImage.toFile(), "image/png").multiPart("topK", "1000");
            tenantField.forEach((k, v) -> r.multiPart(k, v.toString()));
            return r.post("/v1/search");
        });
        return out;
    }

    private static Map<String, Object> with(Map<String, Object> base, String k, Object v) {
        Map<String, Object> m = new LinkedHashMap<>(base);
        m.put(k, v);
        return m;
    }

    @Test
    void aKeyOnlyEverSeesItsOwnTenantWhateverTheRequestSays() {
        Map<String, Set<String>> own = Map.of(ACME_KEY, ACME_ITEMS, GLOBEX_KEY, GLOBEX_ITEMS,
                "Bearer " + ACME_KEY, ACME_ITEMS);
        Map<String, String> tenantOf = Map.of(ACME_KEY, ACME, GLOBEX_KEY, GLOBEX, "Bearer " + ACME_KEY, ACME);
        int checked = 0;
        Map<String, Set<String>> seen = new HashMap<>();
        for (String key : own.keySet()) {
            String mine = tenantOf.get(key);
            String other = mine.equals(ACME) ? GLOBEX : ACME;
            List<Function<Map<String, Object>, Response>> variants = variants(key, Map.of());
            if (key.startsWith("Bearer ")) {
                // The same key through the other header: the first query kind's variants are enough.
                variants = variants.subList(0, 7);
            }
            for (Function<Map<String, Object>, Response> send : variants) {
                for (Map<String, Object> tenantField : List.<Map<String, Object>>of(Map.of(), Map.of("tenant", mine))) {
                    Response r = send.apply(tenantField);
                    assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
                    assertThat(r.jsonPath().getString("tenant")).isEqualTo(mine);
                    List<String> found = r.jsonPath().getList("hits.mediaId", String.class);
                    // Empty is right for a modality the tenant has none of (globex has no documents or texts).
                    assertThat(found).allSatisfy(id -> assertThat(own.get(key)).contains(id));
                    seen.computeIfAbsent(key, k -> new HashSet<>()).addAll(found);
                    checked++;
                }
                for (String widening : List.of(other, other + "," + mine, "*", " ")) {
                    Response r = send.apply(Map.of("tenant", widening));
                    if (widening.isBlank()) {
                        // A blank tenant field is the same as none: still the key's tenant, never more.
                        assertThat(r.statusCode()).isEqualTo(200);
                        assertThat(r.jsonPath().getList("hits.mediaId", String.class))
                                .allSatisfy(id -> assertThat(own.get(key)).contains(id));
                    } else {
                        assertThat(r.statusCode()).as(r.asString()).isEqualTo(403);
                        assertThat(r.jsonPath().getString("error")).isEqualTo("tenant_forbidden");
                    }
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(150);
        // The variants did find things: every item of each tenant showed up for its own key.
        own.forEach((key, items) -> assertThat(seen.get(key)).isEqualTo(items));
    }

    @Test
    void anotherTenantsMediaIdIsNotFoundAndOwnIsFound() {
        for (String b : GLOBEX_ITEMS) {
            Response r = searchRaw(ACME_KEY, Map.of("mediaId", b));
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.jsonPath().getString("error")).isEqualTo("unknown_media_id");
            assertThat(searchRaw(ACME_KEY, Map.of("mediaId", b, "tenant", GLOBEX)).statusCode()).isEqualTo(403);
        }
        for (String a : ACME_ITEMS) {
            assertThat(searchRaw(GLOBEX_KEY, Map.of("mediaId", a)).statusCode()).isEqualTo(404);
            JsonPath own = search(ACME_KEY, Map.of("mediaId", a, "topK", 1000, "rawSegments", true));
            assertThat(ids(own)).allSatisfy(id -> assertThat(ACME_ITEMS).contains(id).isNotEqualTo(a));
        }
        JsonPath fromGlobex = search(GLOBEX_KEY, Map.of("mediaId", GLOBEX_RED, "topK", 1000));
        assertThat(ids(fromGlobex)).containsExactlyInAnyOrder(GLOBEX_GREEN, GLOBEX_VIDEO);
    }

    @Test
    void missingOrWrongKeysAreUnauthorized() {
        Response none = searchRaw(null, Map.of("text", "red"));
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.jsonPath().getString("error")).isEqualTo("missing_api_key");
        assertThat(none.contentType()).startsWith("application/problem+json");
        Response wrong = searchRaw("not-a-valid-key", Map.of("text", "red", "tenant", ACME));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.jsonPath().getString("error")).isEqualTo("invalid_api_key");
        assertThat(given().header("Authorization", "Bearer " + GLOBEX_KEY).contentType(ContentType.JSON)
                .body(Map.of("text", "red")).post("/v1/search").then().statusCode(200).extract().jsonPath()
                .getString("tenant")).isEqualTo(GLOBEX);
    }

    // ------------------------------------------------------------------ errors

    @Test
    void badQueriesGetClearErrors() {
        Map<String, Object> tooLarge = Map.of("image", Base64.getEncoder().encodeToString(
                new byte[(int) IndexedCorpusResource.MAX_IMAGE_BYTES + 1]));
        Map<Map<String, Object>, String> cases = new LinkedHashMap<>();
        cases.put(Map.of(), "empty_query");
        cases.put(Map.of("text", "   "), "empty_query");
        cases.put(Map.of("image", ""), "empty_query");
        cases.put(Map.of("text", "red", "image", "AAAA"), "ambiguous_query");
        cases.put(Map.of("text", "red", "mediaId", ACME_RED), "ambiguous_query");
        cases.put(Map.of("text", "red", "topK", 0), "invalid_top_k");
        cases.put(Map.of("text", "red", "topK", 1001), "invalid_top_k");
        cases.put(Map.of("image", "not base64!"), "invalid_base64");
        cases.put(Map.of("image", Base64.getEncoder().encodeToString("not an image".getBytes())), "invalid_image");
        cases.put(tooLarge, "image_too_large");
        cases.put(Map.of("text", "red", "modalities", List.of("AUDIO")), "invalid_modality");
        cases.put(Map.of("text", "red", "task", "no-such-task"), "unknown_task");
        cases.put(Map.of("text", "red", "tenants", List.of(ACME, GLOBEX)), "invalid_json");
        cases.put(Map.of("text", "red", "topK", "many"), "invalid_json");
        cases.put(Map.of("mediaId", "no-such-item"), "unknown_media_id");
        cases.put(Map.of("text", "x".repeat(2001)), "query_too_long");
        Map<String, Integer> statusOf = Map.of("image_too_large", 413, "unknown_media_id", 404);
        cases.forEach((body, error) -> {
            Response r = searchRaw(ACME_KEY, body);
            assertThat(r.jsonPath().getString("error")).as(body.keySet() + " " + r.asString()).isEqualTo(error);
            assertThat(r.statusCode()).isEqualTo(statusOf.getOrDefault(error, 400));
            assertThat(r.jsonPath().getString("message")).isNotBlank();
        });
        Response malformed = as(ACME_KEY).contentType(ContentType.JSON).body("{\"text\":").post("/v1/search");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.jsonPath().getString("error")).isEqualTo("invalid_json");
        Response hugeUpload = as(ACME_KEY).multiPart("image", "big.png",
                new byte[(int) IndexedCorpusResource.MAX_IMAGE_BYTES + 1], "image/png").post("/v1/search");
        assertThat(hugeUpload.statusCode()).isEqualTo(413);
        // 40,000 x 40,000 declared in a valid PNG header: refused on the header, nothing decoded.
        Response pixels = searchRaw(ACME_KEY, Map.of("image", Base64.getEncoder().encodeToString(pngHeader(40_000, 40_000))));
        assertThat(pixels.jsonPath().getString("error")).as(pixels.asString()).isIn("image_too_large", "invalid_image");
    }

    /** A PNG signature and IHDR chunk claiming the given size, and nothing else. */
    private static byte[] pngHeader(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(33);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        b.putInt(13).put(new byte[] {'I', 'H', 'D', 'R'}).putInt(width).putInt(height)
                .put(new byte[] {8, 2, 0, 0, 0});
        CRC32 crc = new CRC32();
        crc.update(b.array(), 12, 17);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    // ------------------------------------------------------------------ status, thumbnails, page

    @Test
    void mediaStatusComesFromTheCatalogForTheKeysTenantOnly() {
        JsonPath own = as(ACME_KEY).get("/v1/media/{id}", ACME_RED).then().statusCode(200).extract().jsonPath();
        assertThat(own.getString("tenant")).isEqualTo(ACME);
        assertThat(own.getString("status")).isEqualTo("INDEXED");
        as(ACME_KEY).get("/v1/media/{id}", GLOBEX_RED).then().statusCode(404);
        as(ACME_KEY).queryParam("tenant", GLOBEX).get("/v1/media/{id}", GLOBEX_RED).then().statusCode(403);
        // A catalog that answers with another tenant's item is not believed.
        as(ACME_KEY).get("/v1/media/{id}", CatalogStub.LEAKY).then().statusCode(404);
        given().get("/v1/media/{id}", ACME_RED).then().statusCode(401);
    }

    @Test
    void thumbnailsShowTheImageTheMomentAndThePage() throws Exception {
        await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                as(ACME_KEY).get("/v1/media/{id}/thumbnail", ACME_RED).then().statusCode(200));
        assertThat(centre(thumbnail(ACME_KEY, ACME_RED, Map.of()))).satisfies(c -> assertReddish(c));
        assertThat(centre(thumbnail(ACME_KEY, ACME_BLUE, Map.of()))).satisfies(c ->
                assertThat(c.getBlue()).isGreaterThan(150).isGreaterThan(c.getRed() + 80));
        Color early = centre(thumbnail(ACME_KEY, ACME_VIDEO, Map.of("atMs", 500)));
        Color late = centre(thumbnail(ACME_KEY, ACME_VIDEO, Map.of("atMs", 4500)));
        assertThat(early.getRed()).as("yellow at 0.5 s").isGreaterThan(150);
        assertThat(early.getGreen()).as("yellow at 0.5 s").isGreaterThan(150);
        assertThat(late.getGreen()).as("green at 4.5 s").isGreaterThan(late.getRed() + 60);
        Color page2 = centre(thumbnail(ACME_KEY, ACME_DOC, Map.of("page", 2)));
        assertThat(page2.getGreen()).isGreaterThan(page2.getRed() + 60).isGreaterThan(page2.getBlue() + 60);
        Color page1 = centre(thumbnail(ACME_KEY, ACME_DOC, Map.of("page", 1)));
        assertThat(page1.getRed()).as("white page 1").isGreaterThan(150);
        assertThat(page1.getGreen()).as("white page 1").isGreaterThan(150);
        as(ACME_KEY).get("/v1/media/{id}/thumbnail", ACME_TEXT).then().statusCode(404);
        as(ACME_KEY).get("/v1/media/{id}/thumbnail", GLOBEX_RED).then().statusCode(404);
        as(GLOBEX_KEY).get("/v1/media/{id}/thumbnail", GLOBEX_RED).then().statusCode(200);
    }

    private static byte[] thumbnail(String key, String id, Map<String, ?> params) {
        return as(key).queryParams(new HashMap<>(params)).get("/v1/media/{id}/thumbnail", id).then().statusCode(200)
                .contentType("image/jpeg").extract().asByteArray();
    }

    private static Color centre(byte[] jpeg) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
        assertThat(Math.max(image.getWidth(), image.getHeight())).isLessThanOrEqualTo(160);
        return new Color(image.getRGB(image.getWidth() / 2, image.getHeight() / 2));
    }

    private static void assertReddish(Color c) {
        assertThat(c.getRed()).isGreaterThan(180);
        assertThat(c.getGreen()).isLessThan(80);
    }

    /** The client library applications use (and ./tessera search wraps) against the real service. */
    @Test
    void theClientLibrarySearchesPagesAndReportsProblems() throws Exception {
        URI url = URI.create("http://127.0.0.1:" + RestAssured.port);
        try (SearchClient client = SearchClient.builder(url).apiKey(ACME_KEY).build()) {
            SearchQuery query = new SearchQuery("a red circle", null, null, ACME, List.of("IMAGE"), 1, null, null,
                    null);
            SearchResponse first = client.search(query);
            assertThat(first.model().name()).isEqualTo("tessera-tiny");
            assertThat(first.collection()).startsWith(corpus().collectionPrefix);
            assertThat(first.hits()).extracting(SearchResult::mediaId).containsExactly(ACME_RED);
            SearchResponse second = client.nextPage(query, first).orElseThrow();
            assertThat(second.offset()).isEqualTo(1);
            assertThat(second.hits()).extracting(SearchResult::mediaId).doesNotContain(ACME_RED);

            String blue = Base64.getEncoder().encodeToString(Files.readAllBytes(corpus().blueQueryImage));
            SearchResponse byImage = client.search(new SearchQuery(null, blue, null, null, null, null, null, null,
                    null));
            assertThat(byImage.hits().getFirst().mediaId()).isEqualTo(ACME_BLUE);

            SearchQuery otherTenant = new SearchQuery("red", null, null, GLOBEX, null, null, null, null, null);
            assertThatThrownBy(() -> client.search(otherTenant)).isInstanceOfSatisfying(SearchApiException.class,
                    e -> {
                        assertThat(e.status()).isEqualTo(403);
                        assertThat(e.problem().message()).contains("may only search its own tenant");
                    });
            SearchQuery badRange = query.withFilter(List.of(Filters.parse("attributes.year >= soon")));
            assertThatThrownBy(() -> client.search(badRange)).isInstanceOfSatisfying(SearchApiException.class,
                    e -> assertThat(e.problem().error()).isEqualTo("invalid_filter"));
        }
    }

    @Test
    void operationalEndpointsAnswer() {
        given().get("/q/health/ready").then().statusCode(200);
        assertThat(given().get("/q/openapi").asString()).contains("/v1/search", "/v1/media/{mediaId}");
        assertThat(given().get("/q/metrics").asString()).contains("tessera_search_requests");
        String page = given().get("/").then().statusCode(200).extract().asString();
        assertThat(page).contains("id=\"query\"", "id=\"drop\"").doesNotContain("https://", "http://");
    }

    @Test
    void searchPageInHeadlessChromium() throws Exception {
        Path browserDir = Path.of(System.getProperty("tessera.test.browser-dir", "src/test/browser"));
        Path chromium = Path.of(System.getProperty("tessera.chromium", "/usr/bin/chromium"));
        String node = BrowserTools.find("node");
        boolean ready = Files.isExecutable(chromium) && node != null
                && Files.isDirectory(browserDir.resolve("node_modules/playwright-core"));
        if (!ready) {
            BrowserTools.loudSkip(chromium, node, browserDir);
        }
        Assumptions.assumeTrue(ready, "chromium, node or playwright-core missing (see the message above)");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("url", "http://127.0.0.1:" + RestAssured.port + "/");
        spec.put("chromium", chromium.toString());
        spec.put("apiKey", ACME_KEY);
        spec.put("text", "a red circle");
        spec.put("expectText", ACME_RED);
        spec.put("expectModel", "tessera-tiny v1");
        spec.put("videoText", "green");
        spec.put("documentText", "green");
        spec.put("expectPage", 2);
        spec.put("image", corpus().blueQueryImage.toString());
        spec.put("expectImage", ACME_BLUE);
        BrowserTools.Result result = BrowserTools.runNode(node, browserDir, "search-page.mjs", spec, Duration.ofMinutes(3));
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("\"ok\":true");
    }
}
