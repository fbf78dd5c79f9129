package io.tessera.catalog.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.WithDefault;
import io.tessera.catalog.CatalogSettings;
import io.tessera.catalog.CatalogTopics;
import io.tessera.catalog.Limits;
import io.tessera.events.Modality;
import io.tessera.settings.LimitsSettings;
import io.tessera.settings.RegistrySettings;
import io.tessera.settings.TesseraNamespace;
import io.tessera.settings.TopicSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * media-catalog's configuration: the shared concerns it reads (tessera.topics, tessera.registry, tessera.limits) and
 * its own {@code tessera.catalog.*}. Each key can also be set as an environment variable, e.g.
 * {@code TESSERA_REGISTRY_URL}. The rules are checked by {@link #toSettings()}, whose messages name the property to
 * change; an unknown key is an error (SmallRye Config under each root, {@link TesseraNamespace} for the roots).
 */
public record CatalogConfig(TopicSettings topics, RegistrySettings registry, LimitsSettings limits, Catalog catalog) {

    /** Every mapping media-catalog reads (registered by Quarkus from the index; listed for tests and the Helm contract). */
    public static final List<Class<?>> MAPPINGS = List.of(TopicSettings.class, RegistrySettings.class,
            LimitsSettings.class, Catalog.class);

    public static CatalogConfig from(SmallRyeConfig c) {
        TesseraNamespace.requireKnownRoots(c);
        return new CatalogConfig(c.getConfigMapping(TopicSettings.class), c.getConfigMapping(RegistrySettings.class),
                c.getConfigMapping(LimitsSettings.class), c.getConfigMapping(Catalog.class));
    }

    @ConfigMapping(prefix = "tessera.catalog")
    public interface Catalog {
        /** Media types accepted per modality: exact ({@code application/pdf}) or a family ({@code image/*}). */
        ContentTypes contentTypes();

        /** URI schemes a content reference may use; indexers apply their own host, root and bucket allowlists on top. */
        @WithDefault("file,http,https,s3")
        Set<String> referenceSchemes();

        /** How long a deleted item's DELETED status stays queryable. */
        @WithDefault("P7D")
        Duration deletedRetention();

        /** How often deleted entries past their retention are purged. */
        @WithDefault("PT1H")
        Duration purgeInterval();
    }

    public interface ContentTypes {
        @WithDefault("image/*")
        List<String> image();

        @WithDefault("video/*")
        List<String> video();

        @WithDefault("application/pdf")
        List<String> document();

        @WithDefault("text/*")
        List<String> text();
    }

    /** The topology's settings; throws IllegalArgumentException naming the property when a rule is broken. */
    public CatalogSettings toSettings() {
        topics.partitions().filter(p -> p < 1).ifPresent(p -> {
            throw new IllegalArgumentException("tessera.topics.partitions must be 1 or more, was " + p);
        });
        topics.replicationFactor().filter(r -> r < 1 || r > Short.MAX_VALUE).ifPresent(r -> {
            throw new IllegalArgumentException("tessera.topics.replication-factor must be in [1, 32767], was " + r);
        });
        LimitsSettings l = limits;
        Limits checked = new Limits(l.maxRecordBytes(), l.maxInlineBytes(), l.maxReferenceBytes(), l.maxTextChars(),
                l.maxInstructionChars(), l.maxAttributes(), l.maxAttributeKeyChars(), l.maxAttributeValueChars(),
                l.maxUriChars());
        ContentTypes types = catalog.contentTypes();
        return new CatalogSettings(CatalogTopics.withPrefix(topics.prefixOrEmpty()), checked,
                Map.of(Modality.IMAGE, types.image(), Modality.VIDEO, types.video(),
                        Modality.DOCUMENT, types.document(), Modality.TEXT, types.text()),
                catalog.referenceSchemes(), registry.autoRegister(), catalog.deletedRetention(),
                catalog.purgeInterval(), CatalogSettings.DEFAULT_SERVICE_NAME);
    }
}
