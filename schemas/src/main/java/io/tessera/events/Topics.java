package io.tessera.events;

import java.util.List;
import java.util.Objects;

/**
 * The default names of Tessera's topics, the one place every module takes them from.
 *
 * <p>Deployments that share a Kafka cluster put a prefix in front of every name ({@link #withPrefix}); the
 * prefix is configuration, the names here are the contract (see docs/architecture.md, "Topics").
 */
public final class Topics {

    /** The one entry point for publishers: {@link MediaArrived} keyed by mediaId; a tombstone deletes. */
    public static final String MEDIA_ARRIVED = "media.arrived";
    /** {@link MediaArrived} routed by modality IMAGE. */
    public static final String MEDIA_IMAGE = "media.image";
    /** {@link MediaArrived} routed by modality VIDEO. */
    public static final String MEDIA_VIDEO = "media.video";
    /** {@link MediaArrived} routed by modality DOCUMENT. */
    public static final String MEDIA_DOCUMENT = "media.document";
    /** {@link MediaArrived} routed by modality TEXT. */
    public static final String MEDIA_TEXT = "media.text";
    /** Compacted: the latest accepted {@link MediaArrived} of every item, the source for backfills. */
    public static final String MEDIA_CATALOG = "media.catalog";
    /** {@link MediaIndexed}: one event per item and model version. */
    public static final String MEDIA_INDEXED = "media.indexed";
    /** Dead letters: the original key and bytes plus provenance headers (see io.tessera.serde.DeadLetterHeaders). */
    public static final String MEDIA_DLQ = "media.dlq";
    /** {@link CuratedPair} keyed by pairId: the trainer's input. */
    public static final String PAIRS_CURATED = "pairs.curated";
    /** Compacted: {@link ModelVersion} keyed by model name. */
    public static final String MODELS_PUBLISHED = "models.published";

    /** The suffix of a per-source dead-letter topic ({@code <source>.dlq}). */
    public static final String DLQ_SUFFIX = ".dlq";

    /** Every topic above, in the order of the architecture's table. */
    public static final List<String> ALL = List.of(MEDIA_ARRIVED, MEDIA_IMAGE, MEDIA_VIDEO, MEDIA_DOCUMENT, MEDIA_TEXT,
            MEDIA_CATALOG, MEDIA_INDEXED, MEDIA_DLQ, PAIRS_CURATED, MODELS_PUBLISHED);

    private Topics() {
    }

    /**
     * The topic a modality is routed to.
     *
     * @throws IllegalArgumentException for {@link Modality#UNKNOWN}, which has no topic: such items are rejected
     */
    public static String forModality(Modality modality) {
        return switch (Objects.requireNonNull(modality, "modality")) {
            case IMAGE -> MEDIA_IMAGE;
            case VIDEO -> MEDIA_VIDEO;
            case DOCUMENT -> MEDIA_DOCUMENT;
            case TEXT -> MEDIA_TEXT;
            case UNKNOWN -> throw new IllegalArgumentException("Modality UNKNOWN has no topic: the item must be rejected");
        };
    }

    /** The per-source dead-letter topic, {@code <source>.dlq}. */
    public static String deadLetterFor(String sourceTopic) {
        return requireName(sourceTopic) + DLQ_SUFFIX;
    }

    /**
     * A topic name under a prefix, for deployments that share a cluster: {@code withPrefix("prod-", MEDIA_ARRIVED)}
     * is {@code prod-media.arrived}. A null or empty prefix leaves the name unchanged.
     */
    public static String withPrefix(String prefix, String topic) {
        requireName(topic);
        if (prefix == null || prefix.isEmpty()) {
            return topic;
        }
        String full = prefix + topic;
        if (!full.matches("[A-Za-z0-9._-]{1,249}")) {
            throw new IllegalArgumentException("Topic prefix '" + prefix
                    + "' makes an invalid Kafka topic name '" + full + "': use only letters, digits, '.', '_' and '-'");
        }
        return full;
    }

    private static String requireName(String topic) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("A topic name is required");
        }
        return topic;
    }
}
