package io.tessera.media;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where the content of a media item comes from: the three shapes of {@code MediaArrived.content}.
 * Nothing is fetched or checked here; {@link MediaDecoder} applies the limits and the allowlists.
 */
public sealed interface MediaSource {

    /** Bytes carried in the event itself. */
    static MediaSource bytes(byte[] bytes) {
        return new Bytes(bytes, null);
    }

    /** Bytes with the publisher's content type (used for the charset of text). */
    static MediaSource bytes(byte[] bytes, String contentType) {
        return new Bytes(bytes, contentType);
    }

    /** Text carried in the event itself. */
    static MediaSource text(String text) {
        return new Text(text);
    }

    /** A reference without a declared size or checksum. */
    static MediaSource reference(String uri) {
        return reference(uri, null, null);
    }

    /**
     * A reference to {@code file:} or {@code http(s):} content.
     *
     * @param sizeBytes declared size, checked against the limit before fetching and against the bytes after; may be null
     * @param sha256    hex sha256 of the bytes, checked after fetching; may be null
     */
    static MediaSource reference(String uri, Long sizeBytes, String sha256) {
        return new Reference(uri, sizeBytes == null ? OptionalLong.empty() : OptionalLong.of(sizeBytes),
                Optional.ofNullable(sha256));
    }

    /** Inline bytes. The array is not copied: do not modify it while it is being decoded. */
    record Bytes(byte[] bytes, String contentType) implements MediaSource {
        public Bytes {
            Objects.requireNonNull(bytes, "bytes");
        }

        public Optional<String> contentTypeHint() {
            return Optional.ofNullable(contentType);
        }

        @Override
        public String toString() {
            return "Bytes[" + bytes.length + " bytes, contentType=" + contentType + "]";
        }
    }

    /** Inline text. */
    record Text(String text) implements MediaSource {
        public Text {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String toString() {
            return "Text[" + text.length() + " chars]";
        }
    }

    /**
     * A reference, kept as the string the publisher sent so that a malformed URI is reported as
     * {@link RejectReason#INVALID_REFERENCE} at decode time instead of failing while the event is mapped.
     */
    record Reference(String uri, OptionalLong sizeBytes, Optional<String> sha256) implements MediaSource {
        public Reference {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(sizeBytes, "sizeBytes");
            Objects.requireNonNull(sha256, "sha256");
        }

        /** Parses {@link #uri()}; a caller that needs the URI object and wants the same error as the decoder. */
        public URI parsedUri() throws MediaRejectedException {
            try {
                URI parsed = new URI(uri);
                if (parsed.getScheme() == null) {
                    throw new MediaRejectedException(RejectReason.INVALID_REFERENCE,
                            "reference '" + uri + "' has no scheme; use file:///absolute/path or http(s)://host/path");
                }
                return parsed;
            } catch (java.net.URISyntaxException e) {
                throw new MediaRejectedException(RejectReason.INVALID_REFERENCE,
                        "reference '" + uri + "' is not a valid URI: " + e.getMessage(), e);
            }
        }
    }
}
