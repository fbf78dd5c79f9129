package io.tessera.client.api;

/**
 * Every error answer (RFC 7807 style, {@code application/problem+json}).
 *
 * @param status  the HTTP status
 * @param error   a stable machine-readable code, e.g. {@code empty_query}, {@code tenant_forbidden}
 * @param message what went wrong and what to do, for a person
 */
public record Problem(int status, String error, String message) {
}
