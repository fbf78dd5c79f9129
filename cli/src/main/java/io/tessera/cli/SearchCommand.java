package io.tessera.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.client.api.FilterCondition;
import io.tessera.client.api.SearchQuery;
import io.tessera.client.api.SearchResponse;
import io.tessera.client.search.Filters;
import io.tessera.client.search.SearchApiException;
import io.tessera.client.search.SearchClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./tessera search --tenant T "text" | --image FILE | --media-id ID}: asks search-api through the client
 * library's {@link SearchClient}, prints a table and, when there are more hits, the cursor of the next page.
 */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Search indexed media through search-api (text, an image file, or an indexed item).",
                "Filters take the form NAME OP VALUE, NAME attributes.<name> or indexedAt, OP one of = >= > <= <:"
                        + " '=' compares an attribute's text, the others numbers or ISO-8601 times"
                        + " (--filter 'attributes.color = red' --filter 'attributes.year >= 2020').",
                "When there are more hits, the last line gives the --cursor of the next page: repeat the same search"
                        + " with it."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:results (possibly none)", "2:search-api refused the search (bad input, another tenant)",
                "3:search-api failed or could not be reached"})
public final class SearchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    static final class QueryKind {
        @Parameters(arity = "1", paramLabel = "TEXT", description = "a text query")
        String text;

        @Option(names = "--image", paramLabel = "FILE", description = "an image file as the query")
        Path image;

        @Option(names = "--media-id", paramLabel = "ID", description = "an indexed item as the query (more like this)")
        String mediaId;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    QueryKind query;

    @Option(names = "--tenant", description = "the tenant (must be the API key's when keys are configured)")
    String tenant;

    @Option(names = {"-k", "--top-k"}, defaultValue = "10", description = "results per page (default ${DEFAULT-VALUE})")
    int topK;

    @Option(names = {"-m", "--modality"}, split = ",", paramLabel = "M",
            description = "IMAGE, VIDEO, DOCUMENT, TEXT (repeatable; default all)")
    List<String> modalities;

    @Option(names = {"-f", "--filter"}, paramLabel = "'NAME OP VALUE'",
            description = "a condition every hit meets (repeatable, all must hold; at most 16), e.g."
                    + " 'attributes.color = red', 'attributes.year >= 2020', 'indexedAt >= 2026-01-01'")
    List<String> filters;

    @Option(names = "--cursor", paramLabel = "TOKEN",
            description = "the next page of the same search: the cursor the previous page printed")
    String cursor;

    @Option(names = "--fusion", paramLabel = "zscore|rrf|none",
            description = "how the scores of several modalities are made comparable (default: search-api's)")
    String fusion;

    @Option(names = "--raw", description = "raw segment rows instead of one hit per item")
    boolean raw;

    @Option(names = "--task", description = "the model task for a text query (default: search)")
    String task;

    @Option(names = "--instruction", description = "an instruction replacing the task's prompt for a text query")
    String instruction;

    @Option(names = "--json", description = "print the JSON answer instead of a table")
    boolean json;

    @Option(names = "--url", defaultValue = "${env:TESSERA_SEARCH_URL:-http://127.0.0.1:8080}",
            description = "search-api (default ${DEFAULT-VALUE})")
    URI url;

    @Option(names = "--api-key", defaultValue = "${env:TESSERA_API_KEY}",
            description = "API key (default: $TESSERA_API_KEY)")
    String apiKey;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<FilterCondition> conditions;
        String image = null;
        try {
            conditions = filters == null ? null : Filters.parseAll(filters);
            if (query.image != null) {
                // JSON with base64 rather than multipart: the JDK's HTTP client has no multipart writer.
                image = Base64.getEncoder().encodeToString(Files.readAllBytes(query.image));
            }
        } catch (IllegalArgumentException | IOException e) {
            err.println("search: " + e.getMessage());
            return 2;
        }
        SearchQuery request = new SearchQuery(query.text, image, query.mediaId, tenant,
                modalities == null || modalities.isEmpty() ? null : modalities, topK, task, instruction,
                raw ? Boolean.TRUE : null, fusion, conditions, cursor);
        try (SearchClient client = SearchClient.builder(url).apiKey(apiKey).build()) {
            if (json) {
                out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
                        JSON.readTree(client.searchJson(request))));
            } else {
                SearchResponse page = client.search(request);
                out.print(ResultTable.format(page));
                if (page.nextCursor() != null) {
                    out.println("next page: --cursor " + page.nextCursor());
                }
            }
            out.flush();
            return 0;
        } catch (SearchApiException e) {
            err.println("search: " + describe(e));
            return e.isClientError() ? 2 : 3;
        } catch (IllegalArgumentException e) {
            err.println("search: --url: " + e.getMessage());
            return 2;
        } catch (ConnectException e) {
            err.println("search: " + e.getMessage() + "; is it running? ./tessera services up");
            return 3;
        } catch (IOException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            err.println("search: search-api at " + url + " did not answer (" + why
                    + "); is it running? ./tessera services up");
            return 3;
        }
    }

    /** search-api's problem, said for a person: what was refused, and what to do where the code alone is terse. */
    static String describe(SearchApiException e) {
        var p = e.problem();
        String head = e.isClientError() ? "search-api refused the search" : "search-api failed";
        String code = p.error() == null ? Integer.toString(p.status()) : p.status() + " " + p.error();
        String hint = p.error() == null ? "" : switch (p.error()) {
            case "cursor_mismatch", "invalid_cursor" ->
                    " (a cursor only continues the search it came from: repeat that search's query, --tenant, -m,"
                            + " --filter, --raw and --fusion with it, or leave --cursor out to start again)";
            case "cursor_stale" -> " (a new model version went live since: leave --cursor out to start again)";
            case "invalid_filter" -> " (write --filter 'attributes.<name> OP VALUE' or 'indexedAt OP VALUE', OP one of"
                    + " = >= > <= <)";
            default -> "";
        };
        return head + " (" + code + "): " + p.message() + hint;
    }
}
