package io.tessera.catalog.internal.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.tessera.catalog.CatalogSettings;
import io.tessera.catalog.CatalogTopology;
import io.tessera.catalog.config.CatalogConfig;
import io.tessera.catalog.internal.MicrometerCatalogMetrics;
import io.tessera.events.KafkaConnection;
import io.tessera.registry.RegistryConfig;
import io.tessera.registry.SchemaRegistries;
import io.tessera.registry.SchemaRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Map;
import org.apache.kafka.streams.Topology;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the topology to the service: Quarkus' Kafka Streams extension starts whatever {@link Topology} is produced
 * here. Producing it is also where the topics are made sure of, because this runs before Kafka Streams is even
 * created: the service never starts against topics that are missing or not co-partitioned.
 */
@ApplicationScoped
public class TopologyProducer {

    private static final Logger LOG = LoggerFactory.getLogger(TopologyProducer.class);
    /** Room for headers and the record batch overhead on top of the largest record the service accepts. */
    private static final long RECORD_OVERHEAD_BYTES = 64 * 1024;

    @Produces
    @Singleton
    CatalogConfig config(io.tessera.settings.TopicSettings topics, io.tessera.settings.RegistrySettings registry,
                         io.tessera.settings.LimitsSettings limits, CatalogConfig.Catalog catalog) {
        // Built by CatalogConfig.from, the one construction path (the tests and the Helm contract use it too). The
        // parameters are there only because Quarkus registers, and checks at build time, a mapping it sees injected.
        return CatalogConfig.from(ConfigProvider.getConfig().unwrap(io.smallrye.config.SmallRyeConfig.class));
    }

    @Produces
    @Singleton
    CatalogSettings settings(CatalogConfig config) {
        return config.toSettings();
    }

    @Produces
    @Singleton
    Topology topology(CatalogConfig config, CatalogSettings settings, MeterRegistry meters,
                      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                      @ConfigProperty(name = "kafka-streams.producer.max.request.size") long maxRequestSize) {
        if (settings.limits().maxRecordBytes() + RECORD_OVERHEAD_BYTES > maxRequestSize) {
            throw new IllegalArgumentException("tessera.limits.max-record-bytes (" + settings.limits().maxRecordBytes()
                    + ") plus " + RECORD_OVERHEAD_BYTES + " bytes of overhead exceeds kafka-streams.producer.max.request.size ("
                    + maxRequestSize + "): an accepted record could not be routed. Lower the limit or raise the producer's.");
        }
        // The kafka.* settings every service reads (bootstrap, SASL, TLS); application.properties maps the same ones
        // onto quarkus.kafka-streams.* for the Streams application itself.
        new TopicProvisioner(KafkaConnection.from(key -> ConfigProvider.getConfig().getOptionalValue(key, String.class))
                .withBootstrapServers(bootstrapServers), settings.topics(), config.topics().partitions(),
                config.topics().replicationFactor().map(Integer::shortValue), maxRequestSize)
                .ensureTopics(config.topics().create(), config.topics().setupTimeout());
        SchemaRegistry registry = SchemaRegistries.shared(RegistryConfig.fromProperties(
                Map.of(RegistryConfig.URL, config.registry().url())));
        LOG.info("media-catalog: {} -> {}, status store '{}', registry {} (auto-register {})",
                settings.topics().arrived(), settings.topics().routed(), CatalogTopology.STATUS_STORE,
                config.registry().url(), settings.autoRegisterSchemas());
        return CatalogTopology.create(settings, registry, new MicrometerCatalogMetrics(meters));
    }
}
