package io.tessera.media;

import java.util.Objects;
import java.util.Optional;

/**
 * The bytes of a media item once fetched and checked against the limits (and the declared sha256).
 *
 * @param bytes       the content; owned by the caller, not copied
 * @param sha256      lower-case hex sha256 of {@code bytes}
 * @param contentType what the publisher or the HTTP server said it is, if anything (a hint only: formats are sniffed)
 * @param origin      where it came from, for messages: "inline", the file path or the URL
 */
public record FetchedContent(byte[] bytes, String sha256, Optional<String> contentType, String origin) {

    public FetchedContent {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(origin, "origin");
    }

    public long sizeBytes() {
        return bytes.length;
    }

    @Override
    public String toString() {
        return "FetchedContent[" + bytes.length + " bytes from " + origin + ", sha256=" + sha256 + "]";
    }
}
