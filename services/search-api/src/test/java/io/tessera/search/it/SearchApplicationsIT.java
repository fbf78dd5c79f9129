package io.tessera.search.it;

import static io.restassured.RestAssured.given;
import static io.tessera.search.it.ApplicationCorpusResource.DOC;
import static io.tessera.search.it.ApplicationCorpusResource.IMAGES;
import static io.tessera.search.it.ApplicationCorpusResource.KEY;
import static io.tessera.search.it.ApplicationCorpusResource.OTHER;
import static io.tessera.search.it.ApplicationCorpusResource.OTHER_KEY;
import static io.tessera.search.it.ApplicationCorpusResource.QUERY;
import static io.tessera.search.it.ApplicationCorpusResource.TENANT;
import static io.tessera.search.it.ApplicationCorpusResource.TEXTS;
import static io.tessera.search.it.ApplicationCorpusResource.VIDEO;
import static io.tessera.search.it.ApplicationCorpusResource.YEARS;
import static io.tessera.search.it.ApplicationCorpusResource.image;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.tessera.search.ModalityFusion;
import io.tessera.search.PageCursors;
import io.tessera.search.QueryInput;
import io.tessera.search.SearchSpec;
import io.tessera.vectorstore.AttributeValues;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The search API as applications use it, search-api as built against the local stack's Milvus: cursor pagination
 * (pages that neither repeat nor skip, fused or not; cursors bound to their search, tenant and collection), attribute
 * and time filters (numeric ranges right although attributes are stored as strings; no expression injection; clear
 * 400s), an item's indexed segments, and the OpenAPI description of all of it.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = ApplicationCorpusResource.class, restrictToAnnotatedClass = true)
class SearchApplicationsIT {

    private static RequestSpecification as(String key) {
        return given().header("X-Api-Key", key);
    }

    private static Response post(String key, Map<String, Object> body) {
        return as(key).contentType(ContentType.JSON).body(body).post("/v1/search");
    }

    private static JsonPath search(Map<String, Object> body) {
        return post(KEY, body).then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, Object> byExample(Object... more) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("mediaId", QUERY);
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    private static List<String> ids(JsonPath answer) {
        return answer.getList("hits.mediaId", String.class);
    }

    /** Every page of a search, following nextCursor to the end. */
    private static List<JsonPath> allPages(Map<String, Object> body) {
        List<JsonPath> pages = new ArrayList<>();
        Map<String, Object> request = new LinkedHashMap<>(body);
        for (int guard = 0; guard < 100; guard++) {
            JsonPath page = search(request);
            pages.add(page);
            String next = page.getString("nextCursor");
            if (next == null) {
                return pages;
            }
            request.put("cursor", next);
        }
        throw new AssertionError("more than 100 pages");
    }

    private static void assertProblem(Response r, int status, String error, String... inMessage) {
        r.then().statusCode(status).contentType("application/problem+json");
        assertThat(r.jsonPath().getString("error")).isEqualTo(error);
        if (inMessage.length > 0) {
            assertThat(r.jsonPath().getString("message")).contains(inMessage);
        }
    }

    // ------------------------------------------------------------------ pagination

    @Test
    void pagesFollowOneAnotherWithoutRepeatsOrGapsInTheKnownOrder() {
        List<JsonPath> pages = allPages(byExample("modalities", List.of("IMAGE"), "topK", 7));
        assertThat(pages).hasSize(5);
        assertThat(pages.stream().map(p -> p.getInt("offset")).toList()).containsExactly(0, 7, 14, 21, 28);
        List<String> all = pages.stream().flatMap(p -> ids(p).stream()).toList();
        assertThat(all).containsExactlyElementsOf(IntStream.range(0, IMAGES).mapToObj(ApplicationCorpusResource::image)
                .toList());
        assertThat(pages.getLast().getString("nextCursor")).isNull();
        // One request for all of them ranks the same.
        assertThat(ids(search(byExample("modalities", List.of("IMAGE"), "topK", IMAGES)))).isEqualTo(all);
        // A page exactly at the end says there is no more.
        JsonPath exact = search(byExample("modalities", List.of("IMAGE"), "topK", IMAGES));
        assertThat(exact.getString("nextCursor")).isNull();
        assertThat(search(byExample("modalities", List.of("IMAGE"), "topK", IMAGES - 1)).getString("nextCursor"))
                .isNotNull();
    }

    @Test
    void thePageSizeMayChangeBetweenPagesAndGetAndPostShareCursors() {
        JsonPath first = search(byExample("modalities", List.of("IMAGE"), "topK", 5));
        JsonPath second = as(KEY).queryParam("mediaId", QUERY).queryParam("modalities", "IMAGE")
                .queryParam("topK", 10).queryParam("cursor", first.getString("nextCursor"))
                .get("/v1/search").then().statusCode(200).extract().jsonPath();
        assertThat(second.getInt("offset")).isEqualTo(5);
        assertThat(ids(second)).containsExactlyElementsOf(IntStream.range(5, 15).mapToObj(ApplicationCorpusResource::image)
                .toList());
    }

    @Test
    void fusedPagesOverEveryModalityKeepOneRankingAcrossPages() {
        List<JsonPath> pages = allPages(byExample("topK", 4));
        assertThat(pages.getFirst().getString("fusion")).isEqualTo("zscore");
        List<String> all = pages.stream().flatMap(p -> ids(p).stream()).toList();
        assertThat(all).doesNotHaveDuplicates().hasSize(IMAGES + TEXTS + 2).doesNotContain(QUERY)
                .contains(VIDEO, DOC, "txt-0", image(IMAGES - 1));
        List<Float> fused = pages.stream().flatMap(p -> p.getList("hits.fusedScore", Float.class).stream()).toList();
        assertThat(fused).as("fused scores fall across page boundaries too")
                .isSortedAccordingTo(java.util.Comparator.reverseOrder());
        // The images keep their own order inside the merged list.
        assertThat(all.stream().filter(id -> id.startsWith("img-")).toList())
                .containsExactlyElementsOf(IntStream.range(0, IMAGES).mapToObj(ApplicationCorpusResource::image).toList());
        // The first page is what a search without a cursor gives.
        assertThat(ids(search(byExample("topK", 4)))).isEqualTo(ids(pages.getFirst()));
        // rrf and none page as well.
        for (String fusion : List.of("rrf", "none")) {
            List<String> paged = allPages(byExample("topK", 9, "fusion", fusion)).stream()
                    .flatMap(p -> ids(p).stream()).toList();
            assertThat(paged).as(fusion).doesNotHaveDuplicates().hasSize(IMAGES + TEXTS + 2);
        }
    }

    @Test
    void aCursorIsBoundToItsSearchTenantAndCollection() {
        String next = search(byExample("modalities", List.of("IMAGE"), "topK", 3)).getString("nextCursor");
        assertThat(next).isNotNull();
        assertProblem(post(KEY, byExample("modalities", List.of("IMAGE", "TEXT"), "cursor", next)), 400,
                "cursor_mismatch", "another search");
        assertProblem(post(KEY, byExample("modalities", List.of("IMAGE"), "cursor", next, "filter",
                List.of(Map.of("attribute", "camera", "eq", "x100")))), 400, "cursor_mismatch");
        assertProblem(post(KEY, byExample("modalities", List.of("IMAGE"), "cursor", next, "rawSegments", true)), 400,
                "cursor_mismatch");
        // Another tenant cannot continue it (and gets no rows of this one either way).
        assertProblem(post(OTHER_KEY, Map.of("mediaId", "b-" + image(0), "modalities", List.of("IMAGE"), "cursor",
                next)), 400, "cursor_mismatch");
        // Edited: a clear 400, never another page.
        // Not the last character: in unpadded base64 its low bits can be padding that decoders ignore.
        int at = next.length() - 3;
        String edited = next.substring(0, at) + (next.charAt(at) == 'A' ? 'B' : 'A') + next.substring(at + 1);
        assertProblem(post(KEY, byExample("modalities", List.of("IMAGE"), "cursor", edited)), 400, "invalid_cursor",
                "signature does not match");
        assertProblem(post(KEY, byExample("modalities", List.of("IMAGE"), "cursor", "not-a-cursor")), 400,
                "invalid_cursor");
        as(KEY).queryParam("mediaId", QUERY).queryParam("cursor", "x.y").get("/v1/search").then().statusCode(400)
                .contentType("application/problem+json");

        // Made on a collection that is no longer live (signed with the service's secret, as a real old cursor).
        PageCursors codec = PageCursors.withSecret(Optional.of(ApplicationCorpusResource.CURSOR_SECRET));
        SearchSpec spec = new SearchSpec(TENANT, new QueryInput.Media(QUERY), Set.of("IMAGE"), 3, false);
        String binding = PageCursors.binding(spec, ModalityFusion.ZSCORE);
        String stale = codec.encode(new PageCursors.Cursor(1, 3, "it_apps_gone_tessera_tiny_v0", binding, null));
        assertProblem(post(KEY, byExample("modalities", List.of("IMAGE"), "cursor", stale)), 400, "cursor_stale",
                "it_apps_gone_tessera_tiny_v0", ApplicationCorpusResource.collection);
        // Deeper than Milvus' window: the error says why.
        String deep = codec.encode(new PageCursors.Cursor(1, 16_380, ApplicationCorpusResource.collection, binding,
                null));
        assertProblem(post(KEY, byExample("modalities", List.of("IMAGE"), "cursor", deep, "topK", 10)), 400,
                "page_too_deep", "16384", "offset + limit");
        search(byExample("modalities", List.of("IMAGE"), "cursor", deep, "topK", 4));
    }

    // ------------------------------------------------------------------ filters

    private static Set<String> imagesWhere(java.util.function.IntPredicate p) {
        Set<String> out = new HashSet<>();
        IntStream.range(0, IMAGES).filter(p).forEach(i -> out.add(image(i)));
        return out;
    }

    private static List<String> filtered(List<Map<String, Object>> filter) {
        return ids(search(byExample("modalities", List.of("IMAGE"), "topK", 100, "filter", filter)));
    }

    private static List<String> filteredGet(String... filter) {
        return ids(as(KEY).queryParam("mediaId", QUERY).queryParam("modalities", "IMAGE").queryParam("topK", 100)
                .queryParam("filter", (Object[]) filter).get("/v1/search").then().statusCode(200).extract().jsonPath());
    }

    @Test
    void attributeEqualityAndListsSelectExactly() {
        Set<String> x100 = imagesWhere(i -> i % 2 == 0);
        assertThat(filtered(List.of(Map.of("attribute", "camera", "eq", "x100")))).containsExactlyInAnyOrderElementsOf(x100);
        assertThat(filteredGet("attributes.camera=x100")).containsExactlyInAnyOrderElementsOf(x100);
        assertThat(filtered(List.of(Map.of("attribute", "camera", "in", List.of("x100", "z9"))))).hasSize(IMAGES);
        assertThat(filtered(List.of(Map.of("attribute", "camera", "eq", "X100")))).as("exact, case and all").isEmpty();
        // Results stay in rank order under a filter, and a filter with paging fills every page.
        List<String> evens = filtered(List.of(Map.of("attribute", "camera", "eq", "x100")));
        assertThat(evens).containsExactlyElementsOf(IntStream.range(0, IMAGES).filter(i -> i % 2 == 0)
                .mapToObj(ApplicationCorpusResource::image).toList());
        List<JsonPath> pages = allPages(byExample("modalities", List.of("IMAGE"), "topK", 4, "filter",
                List.of(Map.of("attribute", "camera", "eq", "x100"))));
        assertThat(pages.stream().flatMap(p -> ids(p).stream()).toList()).isEqualTo(evens);
        assertThat(pages.subList(0, pages.size() - 1)).allSatisfy(p -> assertThat(ids(p)).hasSize(4));
    }

    @Test
    void numericRangesCompareNumbersNotStrings() {
        // As strings "999" >= "2020" and "abc" >= "2020"; as numbers neither is.
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < IMAGES; i++) {
            Optional<Number> n = AttributeValues.number(YEARS.get(i % YEARS.size()));
            if (n.isPresent() && n.get().doubleValue() >= 2020) {
                expected.add(image(i));
            }
        }
        assertThat(expected).isNotEmpty().contains(image(2), image(3), image(4), image(6), image(9))
                .doesNotContain(image(0), image(7), image(8));
        assertThat(filtered(List.of(Map.of("attribute", "year", "gte", 2020)))).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(filteredGet("attributes.year>=2020")).containsExactlyInAnyOrderElementsOf(expected);
        // A bounded range, exclusive at both ends: 2019 < year < 10000 is 2020, 2020.5, 2021.
        assertThat(filtered(List.of(Map.of("attribute", "year", "gt", 2019, "lt", 10000))))
                .containsExactlyInAnyOrderElementsOf(imagesWhere(i -> Set.of(2, 3, 6).contains(i % YEARS.size())));
        assertThat(filteredGet("attributes.year>2019", "attributes.year<10000"))
                .containsExactlyInAnyOrderElementsOf(imagesWhere(i -> Set.of(2, 3, 6).contains(i % YEARS.size())));
        // Negative numbers and leading zeros: -5 and 0099 are below 100.
        assertThat(filtered(List.of(Map.of("attribute", "year", "lt", 100))))
                .containsExactlyInAnyOrderElementsOf(imagesWhere(i -> Set.of(5, 8).contains(i % YEARS.size())));
        // Numeric equality: 1e4 and 10000 are the same number; "eq" with a string compares the text.
        assertThat(filtered(List.of(Map.of("attribute", "year", "eq", 10000))))
                .containsExactlyInAnyOrderElementsOf(imagesWhere(i -> Set.of(4, 9).contains(i % YEARS.size())));
        assertThat(filtered(List.of(Map.of("attribute", "year", "eq", "10000"))))
                .containsExactlyInAnyOrderElementsOf(imagesWhere(i -> i % YEARS.size() == 4));
        // Combined with an attribute equality (all conditions hold).
        assertThat(filtered(List.of(Map.of("attribute", "year", "gte", 2020), Map.of("attribute", "camera", "eq", "z9"))))
                .containsExactlyInAnyOrderElementsOf(expected.stream().filter(id -> Integer.parseInt(id.substring(4)) % 2 == 1)
                        .collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void timeRangesOnAttributesAndOnIndexedAt() {
        // shot = 2024-01-(i+1): from the 10th (i = 9) to before the 20th (i = 18).
        Set<String> expected = imagesWhere(i -> i >= 9 && i <= 18);
        assertThat(filtered(List.of(Map.of("attribute", "shot", "gte", "2024-01-10", "lt", "2024-01-20T00:00:00Z"))))
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(filteredGet("attributes.shot>=2024-01-10T01:00:00+01:00", "attributes.shot<2024-01-20"))
                .containsExactlyInAnyOrderElementsOf(expected);
        long before = ApplicationCorpusResource.writtenAfter - 1;
        assertThat(filtered(List.of(Map.of("field", "indexedAt", "gte", before)))).hasSize(IMAGES);
        assertThat(filtered(List.of(Map.of("field", "indexedAt", "gte", "2999-01-01")))).isEmpty();
        assertThat(filteredGet("indexedAt>=" + before)).hasSize(IMAGES);
        assertThat(filteredGet("indexedAt<2000-01-01T00:00:00Z")).isEmpty();
    }

    @Test
    void noValueOrNameCanChangeTheExpressionOrCrossTenants() {
        // Every hit is the caller's, however the filter is written.
        for (List<Map<String, Object>> filter : List.of(
                List.of(Map.<String, Object>of("attribute", "camera", "eq", "x100\" || tenant != \"")),
                List.of(Map.<String, Object>of("attribute", "camera\"] == \"x100\" || attributes[\"camera", "eq", "x")),
                List.of(Map.<String, Object>of("attribute", "camera", "eq", "x100\") || (tenant == \"" + OTHER)),
                List.of(Map.<String, Object>of("attribute", "year", "gte", "0 || true")))) {
            Response r = post(KEY, byExample("topK", 100, "filter", filter));
            if (r.statusCode() == 200) {
                assertThat(r.jsonPath().getList("hits.mediaId", String.class)).as(filter.toString()).isEmpty();
            } else {
                assertProblem(r, 400, "invalid_filter");
            }
        }
        assertThat(filteredGet("attributes.camera=x100\" || tenant != \"")).isEmpty();
        // The other tenant has the same attributes; its key sees only its own items.
        JsonPath other = post(OTHER_KEY, Map.of("mediaId", "b-" + image(0), "topK", 100, "filter",
                List.of(Map.of("attribute", "camera", "eq", "x100")))).then().statusCode(200).extract().jsonPath();
        assertThat(ids(other)).isNotEmpty().allSatisfy(id -> assertThat(id).startsWith("b-img-"));
        assertThat(other.getString("tenant")).isEqualTo(OTHER);
    }

    @Test
    void invalidFiltersAreClearProblems() {
        assertProblem(post(KEY, byExample("filter", List.of(Map.of("attribute", "year", "gte", "soon")))), 400,
                "invalid_filter", "filter[0].gte", "'soon' is neither a number nor an ISO-8601 time");
        assertProblem(post(KEY, byExample("filter", List.of(Map.of("field", "tenant", "eq", OTHER)))), 400,
                "invalid_filter", "unknown field 'tenant'");
        assertProblem(post(KEY, byExample("filter", List.of(Map.of("attribute", "year")))), 400, "invalid_filter",
                "needs exactly one of 'eq', 'in', or range bounds");
        assertProblem(post(KEY, byExample("filter", List.of(Map.of("attribute", "year", "gte", true)))), 400,
                "invalid_filter", "got a boolean");
        assertProblem(post(KEY, byExample("filter", List.of(Map.of("attribute", "year", "equals", 1)))), 400,
                "invalid_json", "unknown field 'equals' in a filter condition");
        assertProblem(post(KEY, byExample("filter", "camera=x100")), 400, "invalid_json");
        Response get = as(KEY).queryParam("mediaId", QUERY).queryParam("filter", "year>=2020").get("/v1/search");
        assertProblem(get, 400, "invalid_filter", "must start with 'attributes.<name>' or 'indexedAt'");
        assertProblem(as(KEY).queryParam("mediaId", QUERY).queryParam("filter", "attributes.year!=1")
                .get("/v1/search"), 400, "invalid_filter", "'!=' is not supported");
        // GET is under the same tenancy rules as POST.
        as(KEY).queryParam("mediaId", QUERY).queryParam("tenant", OTHER).get("/v1/search").then().statusCode(403);
        given().queryParam("mediaId", QUERY).get("/v1/search").then().statusCode(401);
        as("wrong-key-000").queryParam("text", "x").get("/v1/search").then().statusCode(401);
    }

    // ------------------------------------------------------------------ media segments

    @Test
    void anItemsStatusListsItsRowsInTheLiveCollection() {
        JsonPath video = as(KEY).get("/v1/media/{id}", VIDEO).then().statusCode(200).extract().jsonPath();
        assertThat(video.getString("status")).as("the catalog's fields pass through").isEqualTo("INDEXED");
        assertThat(video.getString("indexed.collection")).isEqualTo(ApplicationCorpusResource.collection);
        assertThat(video.getString("indexed.model.name")).isEqualTo("tessera-tiny");
        assertThat(video.getList("indexed.segments.segment", Integer.class)).containsExactly(-1, 0, 1, 2);
        assertThat(video.getList("indexed.segments.modality", String.class)).containsOnly("VIDEO");
        assertThat(video.getList("indexed.segments.startMs", Long.class)).containsExactly(null, 0L, 2000L, 4000L);
        assertThat(video.getList("indexed.segments.endMs", Long.class)).containsExactly(null, 1999L, 3999L, 5999L);
        assertThat(video.getList("indexed.segments.indexedAt", Long.class))
                .allSatisfy(t -> assertThat(t).isGreaterThanOrEqualTo(ApplicationCorpusResource.writtenAfter));

        JsonPath doc = as(KEY).get("/v1/media/{id}", DOC).then().statusCode(200).extract().jsonPath();
        assertThat(doc.getList("indexed.segments.page", Integer.class)).containsExactly(null, 1, 2);
        JsonPath image = as(KEY).get("/v1/media/{id}", image(0)).then().statusCode(200).extract().jsonPath();
        assertThat(image.getList("indexed.segments.segment", Integer.class)).containsExactly(-1);

        // The same tenancy rules as before: another tenant's item is unknown, another tenant is forbidden.
        as(KEY).get("/v1/media/{id}", "b-" + image(0)).then().statusCode(404);
        as(KEY).queryParam("tenant", OTHER).get("/v1/media/{id}", VIDEO).then().statusCode(403);
        as(OTHER_KEY).get("/v1/media/{id}", VIDEO).then().statusCode(404);
        given().get("/v1/media/{id}", VIDEO).then().statusCode(401);
        JsonPath theirs = as(OTHER_KEY).get("/v1/media/{id}", "b-" + image(0)).then().statusCode(200).extract()
                .jsonPath();
        assertThat(theirs.getList("indexed.segments.segment", Integer.class)).containsExactly(-1);
    }

    // ------------------------------------------------------------------ OpenAPI

    @Test
    void theOpenApiDescriptionDocumentsEveryNewParameterAndField() {
        JsonPath api = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract()
                .jsonPath();
        Map<String, Object> search = api.getMap("paths.'/v1/search'");
        assertThat(search).containsKeys("get", "post");
        List<String> getParams = api.getList("paths.'/v1/search'.get.parameters.name", String.class);
        assertThat(getParams).contains("text", "mediaId", "tenant", "modalities", "topK", "filter", "cursor", "fusion");
        assertThat(api.getList("paths.'/v1/search'.get.parameters.description", String.class)).doesNotContainNull();
        assertThat(api.getMap("components.schemas.SearchQuery.properties")).containsKeys("filter", "cursor");
        assertThat(api.getString("components.schemas.SearchQuery.properties.cursor.description")).contains("nextCursor");
        assertThat(api.getMap("components.schemas.SearchResponse.properties")).containsKeys("nextCursor", "offset");
        Map<String, Object> condition = api.getMap("components.schemas.FilterCondition.properties");
        assertThat(condition).containsKeys("attribute", "field", "eq", "in", "gt", "gte", "lt", "lte");
        assertThat(api.getMap("components.schemas.IndexedSegment.properties"))
                .containsKeys("segment", "modality", "page", "startMs", "endMs", "indexedAt");
        assertThat(api.getString("paths.'/v1/media/{mediaId}'.get.responses.'200'.content.'application/json'.schema.'$ref'"))
                .endsWith("MediaDetails");
        assertThat(api.getString("paths.'/v1/search'.post.responses.'400'.description"))
                .contains("invalid_filter", "invalid_cursor", "cursor_mismatch", "cursor_stale", "page_too_deep");
        Map<String, Object> security = new HashMap<>(api.getMap("paths.'/v1/search'.get"));
        assertThat(security).containsKey("security");
    }
}
