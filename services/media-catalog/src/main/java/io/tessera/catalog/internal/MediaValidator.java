package io.tessera.catalog.internal;

import static io.tessera.catalog.RejectionReason.*;

import io.tessera.catalog.CatalogSettings;
import io.tessera.catalog.Limits;
import io.tessera.events.ContentReference;
import io.tessera.events.InlineBytes;
import io.tessera.events.InlineText;
import io.tessera.events.MediaArrived;
import io.tessera.events.Modality;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks a decoded {@link MediaArrived} against the contract and the configured limits. Only what the record itself
 * says is checked here; what needs the catalog's state (the tenant that owns a mediaId) is checked by the processor.
 */
public final class MediaValidator {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private final CatalogSettings settings;
    private final Limits limits;

    public MediaValidator(CatalogSettings settings) {
        this.settings = settings;
        this.limits = settings.limits();
    }

    /**
     * @param key the record's key decoded as UTF-8, or null when there was none
     * @param event the decoded value
     * @return why the record must be rejected, or empty when it is valid
     */
    public Optional<Rejection> validate(String key, MediaArrived event) {
        if (key == null || key.isEmpty()) {
            return reject(MISSING_KEY, "the record has no key: publish it with the mediaId ("
                    + Identifiers.quote(event.getMediaId()) + ") as the Kafka key");
        }
        if (!Identifiers.isMediaId(event.getMediaId())) {
            return reject(INVALID_MEDIA_ID, "mediaId " + Identifiers.quote(event.getMediaId()) + " must be 1 to "
                    + Identifiers.MAX_MEDIA_ID_CHARS + " characters of A-Z a-z 0-9 . _ : @ + = ~ - starting with a"
                    + " letter or digit");
        }
        if (!key.equals(event.getMediaId())) {
            return reject(KEY_MISMATCH, "the Kafka key " + Identifiers.quote(key) + " differs from the mediaId "
                    + Identifiers.quote(event.getMediaId()) + ": the key must be the mediaId");
        }
        if (!Identifiers.isTenant(event.getTenant())) {
            return reject(INVALID_TENANT, "tenant " + Identifiers.quote(event.getTenant()) + " must be 1 to "
                    + Identifiers.MAX_TENANT_CHARS + " characters of A-Z a-z 0-9 . _ - starting with a letter or digit");
        }
        Modality modality = event.getModality();
        if (modality == null || modality == Modality.UNKNOWN) {
            return reject(UNKNOWN_MODALITY, "modality is UNKNOWN (a symbol this service does not know):"
                    + " use IMAGE, VIDEO, DOCUMENT or TEXT");
        }
        if (event.getOccurredAt() == null || event.getOccurredAt().toEpochMilli() <= 0) {
            return reject(INVALID_TIMESTAMP, "occurredAt " + event.getOccurredAt()
                    + " must be a positive epoch-millisecond timestamp");
        }
        Optional<String> essence = ContentTypes.essence(event.getContentType());
        if (essence.isEmpty()) {
            return reject(INVALID_CONTENT_TYPE, "contentType " + Identifiers.quote(event.getContentType())
                    + " is not a media type (type/subtype, for example image/jpeg)");
        }
        if (!ContentTypes.matchesAny(essence.get(), settings.contentTypes().get(modality))) {
            return reject(CONTENT_TYPE_MISMATCH, "contentType " + essence.get() + " does not fit modality " + modality
                    + " (accepted: " + String.join(", ", settings.contentTypes().get(modality)) + ")");
        }
        Optional<Rejection> content = validateContent(modality, event.getContent());
        if (content.isPresent()) {
            return content;
        }
        if (event.getInstruction() != null) {
            int chars = codePoints(event.getInstruction());
            if (chars > limits.maxInstructionChars()) {
                return reject(INSTRUCTION_TOO_LONG, "the instruction has " + chars + " characters, more than the limit of "
                        + limits.maxInstructionChars());
            }
        }
        return validateAttributes(event.getAttributes());
    }

    private Optional<Rejection> validateContent(Modality modality, Object content) {
        if (content instanceof InlineBytes inline) {
            int size = inline.getData() == null ? 0 : inline.getData().remaining();
            if (size == 0) {
                return reject(EMPTY_CONTENT, "the inline content has no bytes");
            }
            if (size > limits.maxInlineBytes()) {
                return reject(CONTENT_TOO_LARGE, "the inline content has " + size + " bytes, more than the limit of "
                        + limits.maxInlineBytes() + ": send large media as a reference");
            }
            return Optional.empty();
        }
        if (content instanceof InlineText inline) {
            if (modality != Modality.TEXT) {
                return reject(CONTENT_KIND_MISMATCH, "inline text is only accepted for TEXT items, not " + modality);
            }
            String text = inline.getText();
            if (text == null || text.isBlank()) {
                return reject(EMPTY_CONTENT, "the inline text is empty");
            }
            int chars = codePoints(text);
            if (chars > limits.maxTextChars()) {
                return reject(TEXT_TOO_LONG, "the inline text has " + chars + " characters, more than the limit of "
                        + limits.maxTextChars());
            }
            return Optional.empty();
        }
        if (content instanceof ContentReference reference) {
            return validateReference(reference);
        }
        return reject(INVALID_REFERENCE, "the content is " + (content == null ? "missing" : "of an unknown kind "
                + content.getClass().getSimpleName()));
    }

    private Optional<Rejection> validateReference(ContentReference reference) {
        String raw = reference.getUri();
        if (raw == null || raw.isBlank()) {
            return reject(INVALID_REFERENCE, "the reference has no uri");
        }
        if (raw.length() > limits.maxUriChars()) {
            return reject(INVALID_REFERENCE, "the reference's uri has " + raw.length() + " characters, more than the"
                    + " limit of " + limits.maxUriChars());
        }
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            return reject(INVALID_REFERENCE, "the reference's uri " + Identifiers.quote(raw) + " is malformed: "
                    + e.getReason());
        }
        if (!uri.isAbsolute()) {
            return reject(INVALID_REFERENCE, "the reference's uri " + Identifiers.quote(raw)
                    + " is relative: give an absolute URI such as file:///data/a.jpg or https://host/a.jpg");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!settings.referenceSchemes().contains(scheme)) {
            return reject(UNSUPPORTED_URI_SCHEME, "the reference's uri scheme '" + scheme + "' is not accepted (accepted: "
                    + String.join(", ", settings.referenceSchemes().stream().sorted().toList()) + ")");
        }
        if ((scheme.equals("http") || scheme.equals("https")) && (uri.getHost() == null || uri.getHost().isEmpty())) {
            return reject(INVALID_REFERENCE, "the reference's uri " + Identifiers.quote(raw) + " has no host");
        }
        if (scheme.equals("s3") && (uri.getHost() == null || uri.getHost().isEmpty() || uri.getPath() == null
                || uri.getPath().length() <= 1)) {
            return reject(INVALID_REFERENCE, "the reference's uri " + Identifiers.quote(raw)
                    + " is not s3://bucket/key");
        }
        if (scheme.equals("file") && (uri.getPath() == null || uri.getPath().isEmpty())) {
            return reject(INVALID_REFERENCE, "the reference's uri " + Identifiers.quote(raw) + " has no path");
        }
        Long size = reference.getSizeBytes();
        if (size != null) {
            if (size <= 0) {
                return reject(INVALID_REFERENCE, "the reference's sizeBytes " + size + " must be greater than 0 (or null"
                        + " when unknown)");
            }
            if (size > limits.maxReferenceBytes()) {
                return reject(CONTENT_TOO_LARGE, "the referenced content declares " + size + " bytes, more than the"
                        + " limit of " + limits.maxReferenceBytes());
            }
        }
        String sha = reference.getSha256();
        if (sha != null && !SHA256_HEX.matcher(sha).matches()) {
            return reject(INVALID_REFERENCE, "the reference's sha256 " + Identifiers.quote(sha)
                    + " is not 64 hexadecimal digits");
        }
        return Optional.empty();
    }

    private Optional<Rejection> validateAttributes(Map<String, String> attributes) {
        if (attributes == null) {
            return Optional.empty();
        }
        if (attributes.size() > limits.maxAttributes()) {
            return reject(ATTRIBUTES_TOO_LARGE, "the item has " + attributes.size() + " attributes, more than the limit"
                    + " of " + limits.maxAttributes());
        }
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            String name = attribute.getKey();
            if (name == null || name.isEmpty() || name.length() > limits.maxAttributeKeyChars()) {
                return reject(ATTRIBUTES_TOO_LARGE, "attribute name " + Identifiers.quote(name) + " must have 1 to "
                        + limits.maxAttributeKeyChars() + " characters");
            }
            String value = attribute.getValue();
            if (value != null && value.length() > limits.maxAttributeValueChars()) {
                return reject(ATTRIBUTES_TOO_LARGE, "attribute " + Identifiers.quote(name) + " has a value of "
                        + value.length() + " characters, more than the limit of " + limits.maxAttributeValueChars());
            }
        }
        return Optional.empty();
    }

    private static int codePoints(String text) {
        return text.codePointCount(0, text.length());
    }

    private static Optional<Rejection> reject(io.tessera.catalog.RejectionReason reason, String detail) {
        return Optional.of(new Rejection(reason, detail));
    }
}
