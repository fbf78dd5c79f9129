package io.tessera.search;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * An error the caller gets as a {@link io.tessera.client.api.Problem}: an HTTP status, a stable code and a message
 * that says what to change. Thrown by the search core as well as the REST layer, so that the benchmark and the
 * service report the same problems.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String error;
    private final Duration retryAfter;

    public ApiException(int status, String error, String message) {
        this(status, error, message, null, null);
    }

    public ApiException(int status, String error, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.error = Objects.requireNonNull(error, "error");
        this.retryAfter = retryAfter;
    }

    public static ApiException badRequest(String error, String message) {
        return new ApiException(400, error, message);
    }

    public static ApiException unauthorized(String error, String message) {
        return new ApiException(401, error, message);
    }

    public static ApiException forbidden(String error, String message) {
        return new ApiException(403, error, message);
    }

    public static ApiException notFound(String error, String message) {
        return new ApiException(404, error, message);
    }

    public static ApiException tooLarge(String error, String message) {
        return new ApiException(413, error, message);
    }

    /** A transient condition: the caller should retry after a while. */
    public static ApiException unavailable(String error, String message, Throwable cause) {
        return new ApiException(503, error, message, Duration.ofSeconds(2), cause);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
