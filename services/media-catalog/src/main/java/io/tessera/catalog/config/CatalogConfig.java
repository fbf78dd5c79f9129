package io.tessera.catalog.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.tessera.catalog.CatalogSettings;
import io.tessera.catalog.CatalogTopics;
import io.tessera.catalog.Limits;
import io.tessera.events.Modality;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * media-catalog's configuration ({@code tessera.*}; each key can also be set as an environment variable, e.g.
 * {@code TESSERA_REGISTRY_URL}). Bean-validation constraints are checked when the service starts; the cross-field
 * rules are checked by {@link #toSettings()}, whose messages name the property to change.
 */
@ConfigMapping(prefix = "tessera")
public interface CatalogConfig {

    TopicsConfig topics();

    RegistryConfig registry();

    LimitsConfig limits();

    ContentTypesConfig contentTypes();

    ReferenceConfig reference();

    StoreConfig catalog();

    interface TopicsConfig {
        /** Put in front of every topic name (and the Kafka Streams application id), for clusters shared by deployments. */
        Optional<String> prefix();

        /** Partitions of topics the service creates; the broker's default when unset. */
        Optional<@Positive Integer> partitions();

        /** Replication factor of topics the service creates; the broker's default when unset. */
        Optional<@Positive @Max(32767) Integer> replicationFactor();

        /** Whether missing topics are created at start (media.catalog compacted). */
        @WithDefault("true")
        boolean create();

        /** How long start-up waits for Kafka to answer before giving up. */
        @WithDefault("PT60S")
        Duration setupTimeout();
    }

    interface RegistryConfig {
        /** The schema registry's Confluent-compatible API. */
        @WithDefault("http://127.0.0.1:8081/apis/ccompat/v7")
        String url();

        /** Register output schemas on first use (dev, test, the local stack); off in production. */
        @WithDefault("true")
        boolean autoRegister();
    }

    interface LimitsConfig {
        @WithDefault("" + Limits.DEFAULT_MAX_RECORD_BYTES)
        @Positive
        long maxRecordBytes();

        @WithDefault("" + Limits.DEFAULT_MAX_INLINE_BYTES)
        @Positive
        long maxInlineBytes();

        @WithDefault("" + Limits.DEFAULT_MAX_REFERENCE_BYTES)
        @Positive
        long maxReferenceBytes();

        @WithDefault("" + Limits.DEFAULT_MAX_TEXT_CHARS)
        @Positive
        int maxTextChars();

        @WithDefault("" + Limits.DEFAULT_MAX_INSTRUCTION_CHARS)
        @Positive
        int maxInstructionChars();

        @WithDefault("" + Limits.DEFAULT_MAX_ATTRIBUTES)
        @Min(0)
        int maxAttributes();

        @WithDefault("" + Limits.DEFAULT_MAX_ATTRIBUTE_KEY_CHARS)
        @Positive
        int maxAttributeKeyChars();

        @WithDefault("" + Limits.DEFAULT_MAX_ATTRIBUTE_VALUE_CHARS)
        @Positive
        int maxAttributeValueChars();

        @WithDefault("" + Limits.DEFAULT_MAX_URI_CHARS)
        @Positive
        int maxUriChars();
    }

    /** Media types accepted per modality: exact ({@code application/pdf}) or a family ({@code image/*}). */
    interface ContentTypesConfig {
        @WithDefault("image/*")
        List<String> image();

        @WithDefault("video/*")
        List<String> video();

        @WithDefault("application/pdf")
        List<String> document();

        @WithDefault("text/*")
        List<String> text();
    }

    interface ReferenceConfig {
        /**
         * URI schemes a content reference may use; indexers apply their own host, root and bucket allowlists on top.
         */
        @WithDefault("file,http,https,s3")
        Set<String> schemes();
    }

    interface StoreConfig {
        /** How long a deleted item's DELETED status stays queryable. */
        @WithDefault("P7D")
        Duration deletedRetention();

        /** How often deleted entries past their retention are purged. */
        @WithDefault("PT1H")
        Duration purgeInterval();
    }

    /** The topology's settings; throws IllegalArgumentException naming the property when a rule is broken. */
    default CatalogSettings toSettings() {
        LimitsConfig l = limits();
        Limits limits = new Limits(l.maxRecordBytes(), l.maxInlineBytes(), l.maxReferenceBytes(), l.maxTextChars(),
                l.maxInstructionChars(), l.maxAttributes(), l.maxAttributeKeyChars(), l.maxAttributeValueChars(),
                l.maxUriChars());
        ContentTypesConfig types = contentTypes();
        return new CatalogSettings(CatalogTopics.withPrefix(topics().prefix().orElse("")), limits,
                Map.of(Modality.IMAGE, types.image(), Modality.VIDEO, types.video(),
                        Modality.DOCUMENT, types.document(), Modality.TEXT, types.text()),
                reference().schemes(), registry().autoRegister(), catalog().deletedRetention(),
                catalog().purgeInterval(), CatalogSettings.DEFAULT_SERVICE_NAME);
    }
}
