package io.tessera.search.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived signed links to an item's content. A {@code <video src>} cannot send the API key header, so the page
 * asks for a link with its key ({@code POST /v1/media/{id}/content/link}, under the usual tenant check) and hands the
 * link to the player: the link names the tenant and an expiry and carries an HMAC-SHA256 of both and the mediaId,
 * which only this service can make. No key ever travels in a URL (where logs and browser history keep it).
 * <p>
 * The secret comes from {@code tessera.search.content.link-secret}; without it each process draws its own at start,
 * which is right for one replica (links then die with the process) and wrong for several behind one address.
 */
public final class ContentLinks {

    /** A link's parameters; the URL is {@code /v1/media/<id>/content?tenant=&expires=&signature=}. */
    public record Link(String tenant, long expires, String signature) {
    }

    private final byte[] secret;
    private final Duration ttl;
    private final Clock clock;

    public ContentLinks(Optional<String> configuredSecret, Duration ttl, Clock clock) {
        if (configuredSecret.isPresent() && configuredSecret.get().length() < 16) {
            throw new IllegalArgumentException("tessera.search.content.link-secret must have at least 16 characters");
        }
        this.secret = configuredSecret.map(s -> s.getBytes(StandardCharsets.UTF_8)).orElseGet(() -> {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            return random;
        });
        this.ttl = ttl;
        this.clock = clock;
    }

    public Link sign(String tenant, String mediaId) {
        long expires = clock.instant().plus(ttl).getEpochSecond();
        return new Link(tenant, expires, mac(tenant, mediaId, expires));
    }

    /** Whether the link was made by this service for this item and tenant and has not expired. */
    public boolean valid(String tenant, String mediaId, Long expires, String signature) {
        if (tenant == null || expires == null || signature == null || expires < clock.instant().getEpochSecond()) {
            return false;
        }
        return MessageDigest.isEqual(mac(tenant, mediaId, expires).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }

    private String mac(String tenant, String mediaId, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            // NUL separates the parts: neither a tenant nor a mediaId may contain control characters.
            byte[] digest = mac.doFinal((tenant + '\0' + mediaId + '\0' + expires).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
