package io.tessera.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which tenant a request may search. With API keys configured, the key alone decides: a request naming
 * another tenant is refused (403), never widened or narrowed; a missing or unknown key is 401. Without keys, the
 * service serves one default tenant and refuses any other.
 *
 * <p>Keys are given as {@code key1=tenantA,key2=tenantB} (a secret mounted as an environment variable) and/or a file
 * with one {@code key=tenant} per line ({@code #} comments). Only SHA-256 digests of the keys are kept in memory.
 */
public final class TenantAccess {

    static final int MAX_TENANT_LENGTH = 128;
    static final int MIN_KEY_LENGTH = 8;

    private final Map<String, String> tenantByKeyDigest;
    private final String defaultTenant;

    private TenantAccess(Map<String, String> tenantByKeyDigest, String defaultTenant) {
        this.tenantByKeyDigest = Map.copyOf(tenantByKeyDigest);
        this.defaultTenant = defaultTenant;
    }

    /**
     * @param keys          {@code key=tenant} pairs separated by commas (or new lines); empty for none
     * @param keysFile      a file of {@code key=tenant} lines; empty for none
     * @param defaultTenant the tenant served when no keys are configured
     * @throws IllegalArgumentException naming the setting and the problem, at start
     */
    public static TenantAccess fromConfig(Optional<String> keys, Optional<Path> keysFile, String defaultTenant) {
        Map<String, String> byDigest = new LinkedHashMap<>();
        keys.filter(k -> !k.isBlank()).ifPresent(k -> parse(List.of(k.split("[,\\n]")), "tessera.search.api-keys", byDigest));
        keysFile.ifPresent(file -> {
            try {
                parse(Files.readAllLines(file, StandardCharsets.UTF_8), "tessera.search.api-keys-file " + file, byDigest);
            } catch (IOException e) {
                throw new UncheckedIOException("tessera.search.api-keys-file: cannot read " + file + ": " + e.getMessage(), e);
            }
        });
        checkTenant(defaultTenant, "tessera.search.default-tenant");
        return new TenantAccess(byDigest, defaultTenant);
    }

    public static TenantAccess keys(Map<String, String> tenantByKey) {
        Map<String, String> byDigest = new LinkedHashMap<>();
        tenantByKey.forEach((k, t) -> put(k, t, "keys", byDigest));
        return new TenantAccess(byDigest, "default");
    }

    public static TenantAccess singleTenant(String tenant) {
        checkTenant(tenant, "tenant");
        return new TenantAccess(Map.of(), tenant);
    }

    private static void parse(List<String> lines, String source, Map<String, String> into) {
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.lastIndexOf('=');
            if (eq <= 0 || eq == line.length() - 1) {
                // Never echo the entry: it holds a secret.
                throw new IllegalArgumentException(source + ": every entry must be key=tenant (an entry of "
                        + line.length() + " characters is not)");
            }
            put(line.substring(0, eq).strip(), line.substring(eq + 1).strip(), source, into);
        }
    }

    private static void put(String key, String tenant, String source, Map<String, String> into) {
        if (key.length() < MIN_KEY_LENGTH) {
            throw new IllegalArgumentException(source + ": API keys must have at least " + MIN_KEY_LENGTH
                    + " characters (the key of tenant '" + tenant + "' has " + key.length() + ")");
        }
        checkTenant(tenant, source);
        String previous = into.put(digest(key), tenant);
        if (previous != null && !previous.equals(tenant)) {
            throw new IllegalArgumentException(source + ": one API key is given for two tenants ('" + previous
                    + "' and '" + tenant + "')");
        }
    }

    private static void checkTenant(String tenant, String source) {
        if (tenant == null || tenant.isBlank() || tenant.length() > MAX_TENANT_LENGTH
                || tenant.chars().anyMatch(c -> Character.isISOControl(c) || Character.isWhitespace(c))) {
            throw new IllegalArgumentException(source + ": tenant '" + tenant + "' must be 1-" + MAX_TENANT_LENGTH
                    + " characters without spaces or control characters");
        }
    }

    public boolean keysConfigured() {
        return !tenantByKeyDigest.isEmpty();
    }

    public String defaultTenant() {
        return defaultTenant;
    }

    /** The tenants reachable with some key (for logs and the startup message; never sent to clients). */
    public Set<String> tenants() {
        return keysConfigured() ? Collections.unmodifiableSet(new LinkedHashSet<>(tenantByKeyDigest.values()))
                : Set.of(defaultTenant);
    }

    /**
     * The tenant the request searches.
     *
     * @param apiKey          the {@code X-Api-Key} header, or null
     * @param authorization   the {@code Authorization} header ({@code Bearer <key>}), or null
     * @param requestedTenant the tenant the request names, or null
     * @throws ApiException 401 without a valid key (when keys are configured), 403 for any other tenant
     */
    public String resolve(String apiKey, String authorization, String requestedTenant) {
        String requested = requestedTenant == null || requestedTenant.isBlank() ? null : requestedTenant;
        if (!keysConfigured()) {
            if (requested != null && !requested.equals(defaultTenant)) {
                throw ApiException.forbidden("unknown_tenant", "unknown tenant '" + requested + "': this service has no"
                        + " API keys configured and serves only tenant '" + defaultTenant + "'");
            }
            return defaultTenant;
        }
        String key = presentedKey(apiKey, authorization);
        if (key == null) {
            throw ApiException.unauthorized("missing_api_key",
                    "send an API key in the X-Api-Key header or as 'Authorization: Bearer <key>'");
        }
        String tenant = tenantByKeyDigest.get(digest(key));
        if (tenant == null) {
            throw ApiException.unauthorized("invalid_api_key", "the API key is not valid");
        }
        if (requested != null && !requested.equals(tenant)) {
            throw ApiException.forbidden("tenant_forbidden", "this API key may only search its own tenant, not '"
                    + requested + "'; leave out the tenant field or send your own");
        }
        return tenant;
    }

    private static String presentedKey(String apiKey, String authorization) {
        if (apiKey != null && !apiKey.isBlank()) {
            return apiKey.strip();
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).strip();
            return token.isEmpty() ? null : token;
        }
        return null;
    }

    private static String digest(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return keysConfigured() ? "TenantAccess[" + tenantByKeyDigest.size() + " keys for tenants " + tenants() + "]"
                : "TenantAccess[single tenant '" + defaultTenant + "', no keys]";
    }
}
