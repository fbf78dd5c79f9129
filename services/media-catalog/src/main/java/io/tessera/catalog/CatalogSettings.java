package io.tessera.catalog;

import io.tessera.catalog.internal.ContentTypes;
import io.tessera.events.Modality;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything the catalog topology needs to know, independent of Quarkus (so a unit test builds one in a line).
 *
 * @param topics the topic names, prefix applied
 * @param limits bounds on what publishers send
 * @param contentTypes the media types accepted per modality ({@code image/*}, {@code application/pdf}, ...)
 * @param referenceSchemes URI schemes a content reference may use (lower case); indexers still apply their own
 *                         allowlists of hosts and file roots, this only turns away what no indexer could fetch
 * @param autoRegisterSchemas whether the serializers register the output schemas (dev and test) or only look them up
 *                            (production: the release pipeline registers them)
 * @param deletedRetention how long a DELETED item's status is kept before the entry is purged
 * @param purgeInterval how often (wall clock) DELETED entries older than the retention are purged
 * @param serviceName the name written into DLQ provenance headers and the FAILED events' origin header
 */
public record CatalogSettings(CatalogTopics topics, Limits limits, Map<Modality, List<String>> contentTypes,
                              Set<String> referenceSchemes, boolean autoRegisterSchemas, Duration deletedRetention,
                              Duration purgeInterval, String serviceName) {

    public static final String DEFAULT_SERVICE_NAME = "media-catalog";

    /** The default accepted media types: the families each indexer decodes. */
    public static final Map<Modality, List<String>> DEFAULT_CONTENT_TYPES = Map.of(
            Modality.IMAGE, List.of("image/*"),
            Modality.VIDEO, List.of("video/*"),
            Modality.DOCUMENT, List.of("application/pdf"),
            Modality.TEXT, List.of("text/*"));

    public static final Set<String> DEFAULT_REFERENCE_SCHEMES = Set.of("file", "http", "https", "s3");

    public CatalogSettings {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(serviceName, "serviceName");
        EnumMap<Modality, List<String>> types = new EnumMap<>(Modality.class);
        for (Modality modality : Modality.values()) {
            if (modality == Modality.UNKNOWN) {
                continue;
            }
            List<String> patterns = contentTypes.get(modality);
            String property = "tessera.catalog.content-types." + modality.name().toLowerCase(Locale.ROOT);
            if (patterns == null || patterns.isEmpty()) {
                throw new IllegalArgumentException(property + " is empty: list the media types accepted for "
                        + modality + " (for example " + DEFAULT_CONTENT_TYPES.get(modality) + ")");
            }
            types.put(modality, patterns.stream().map(p -> ContentTypes.requirePattern(property, p)).toList());
        }
        contentTypes = Map.copyOf(types);
        if (referenceSchemes == null || referenceSchemes.isEmpty()) {
            throw new IllegalArgumentException("tessera.catalog.reference-schemes is empty: list the URI schemes a content"
                    + " reference may use (for example file,http,https)");
        }
        referenceSchemes = referenceSchemes.stream().map(s -> s.trim().toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        requirePositive(deletedRetention, "tessera.catalog.deleted-retention");
        requirePositive(purgeInterval, "tessera.catalog.purge-interval");
        if (serviceName.isBlank()) {
            throw new IllegalArgumentException("The service name must not be blank");
        }
    }

    /** The defaults on the contract's topic names under {@code prefix}. */
    public static CatalogSettings defaults(String prefix) {
        return new CatalogSettings(CatalogTopics.withPrefix(prefix), Limits.defaults(), DEFAULT_CONTENT_TYPES,
                DEFAULT_REFERENCE_SCHEMES, true, Duration.ofDays(7), Duration.ofHours(1), DEFAULT_SERVICE_NAME);
    }

    public CatalogSettings withLimits(Limits newLimits) {
        return new CatalogSettings(topics, newLimits, contentTypes, referenceSchemes, autoRegisterSchemas,
                deletedRetention, purgeInterval, serviceName);
    }

    private static void requirePositive(Duration duration, String property) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(property + " must be a positive duration (for example P7D or PT1H), was "
                    + duration);
        }
    }
}
