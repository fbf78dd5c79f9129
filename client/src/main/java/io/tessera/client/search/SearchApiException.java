package io.tessera.client.search;

import io.tessera.client.api.Problem;

/**
 * search-api answered with an error. A 4xx is the query's fault and says what to change ({@link Problem#error()} is
 * a stable code such as {@code invalid_filter}, {@code cursor_mismatch}, {@code tenant_forbidden}); a 5xx may pass.
 */
public final class SearchApiException extends RuntimeException {

    private final transient Problem problem;

    public SearchApiException(Problem problem) {
        super("search-api answered " + problem.status() + (problem.error() == null ? "" : " " + problem.error())
                + ": " + problem.message());
        this.problem = problem;
    }

    /** The answer's status, code (null when the answer was not search-api's problem JSON) and message. */
    public Problem problem() {
        return problem;
    }

    public int status() {
        return problem.status();
    }

    /** Whether the query itself was refused (4xx), as opposed to search-api failing (5xx). */
    public boolean isClientError() {
        return problem.status() >= 400 && problem.status() < 500;
    }
}
