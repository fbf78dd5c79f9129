package io.tessera.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.SmallRyeConfig;
import io.tessera.catalog.config.CatalogConfig;
import io.tessera.indexer.quarkus.IndexerConfig;
import io.tessera.search.internal.SearchSettings;
import io.tessera.trainer.TrainerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The services' half of the configuration contract: what each service reads (its @ConfigMapping interfaces, its
 * @ConfigProperty injections, its application.properties) against its keys in config-keys.yaml (see
 * {@link ConfigMappingContract} for the rules); and each Deployment's rendered environment resolved, as Quarkus
 * would, against the service's real mappings and application.properties.
 *
 * <p>A new service: add its module to helm/pom.xml as a test dependency and register it in
 * {@link #SERVICE_CONFIG_MAPPINGS} under its config-keys.yaml name.
 */
class ServiceConfigMappingContractTest {

    private static final List<String> INDEXERS = List.of("image-indexer", "video-indexer", "document-indexer", "text-indexer");

    static final Map<String, ConfigMappingContract.ServiceReads> SERVICE_CONFIG_MAPPINGS = services();

    private static Map<String, ConfigMappingContract.ServiceReads> services() {
        Path root = Repo.root();
        Map<String, ConfigMappingContract.ServiceReads> services = new LinkedHashMap<>();
        services.put("media-catalog", new ConfigMappingContract.ServiceReads(CatalogConfig.MAPPINGS,
                List.of(root.resolve("services/media-catalog/src/main/resources/application.properties")),
                readsKafkaConnection()));
        for (String indexer : INDEXERS) {
            services.put(indexer, new ConfigMappingContract.ServiceReads(IndexerConfig.MAPPINGS,
                    List.of(root.resolve("services/" + indexer + "/src/main/resources/application.properties")),
                    readsKafkaConnection()));
        }
        services.put("search-api", new ConfigMappingContract.ServiceReads(SearchSettings.MAPPINGS,
                List.of(root.resolve("services/search-api/src/main/resources/application.properties")),
                readsKafkaConnection()));
        // The trainer's channels are SmallRye Kafka's, which applies every kafka.* key to each of them.
        services.put("trainer", new ConfigMappingContract.ServiceReads(TrainerConfig.MAPPINGS,
                List.of(root.resolve("trainer/trainer-service/src/main/resources/application.properties")),
                List.of("quarkus.", "kafka.")));
        return services;
    }

    /**
     * Quarkus' own keys, and the kafka.* settings KafkaConnection looks up for every Kafka client of the service
     * (bootstrap servers, and exactly Kafka's SASL/SSL client keys and security.protocol, so a misspelt one is still
     * reported).
     */
    private static List<String> readsKafkaConnection() {
        List<String> reads = new java.util.ArrayList<>(List.of("quarkus."));
        reads.add(io.tessera.events.KafkaConnection.PREFIX + "bootstrap.servers");
        io.tessera.events.KafkaConnection.SECURITY_KEYS.forEach(k -> reads.add(io.tessera.events.KafkaConnection.PREFIX + k));
        return reads;
    }

    @Test
    void everyChartServiceIsRegistered() {
        assertThat(SERVICE_CONFIG_MAPPINGS.keySet()).containsExactlyInAnyOrderElementsOf(Rendered.SERVICES);
    }

    @Test
    void serviceConfigMappingsReadEveryKeyTheChartSetsAndRequireNoOther() {
        ConfigKeys keys = ConfigKeys.load();
        List<String> problems = new ArrayList<>();
        SERVICE_CONFIG_MAPPINGS.forEach((service, reads) ->
                problems.addAll(ConfigMappingContract.check(service, reads, keys.forService(service))));
        assertThat(problems).isEmpty();
    }

    /**
     * Every Deployment's environment, as the kubelet would give it (secrets as placeholders, $(VAR) expanded),
     * loaded the way Quarkus loads it (environment over application.properties, prod profile) into the service's
     * real mappings: every required property resolves and every value converts to its type.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(ValuesSet.class)
    void renderedEnvironmentLoadsIntoEachServicesMappings(ValuesSet values) {
        for (Deployment d : Rendered.of(values).deployments()) {
            String service = Rendered.component(d);
            ConfigMappingContract.ServiceReads reads = SERVICE_CONFIG_MAPPINGS.get(service);
            SmallRyeConfig config = ServiceConfigLoader.load(Rendered.env(d), reads);
            for (Class<?> mapping : reads.mappings()) {
                assertThat(config.getConfigMapping(mapping)).as("%s: %s", service, mapping.getSimpleName()).isNotNull();
            }
            // What the service itself does at start: no tessera.* key under a root nothing reads.
            io.tessera.settings.TesseraNamespace.requireKnownRoots(config);
        }
    }

    @Test
    void securedKafkaReachesEachServicesOwnKafkaClient() {
        Rendered r = Rendered.of(ValuesSet.EXTERNAL_SECRETS);
        for (String service : SERVICE_CONFIG_MAPPINGS.keySet()) {
            SmallRyeConfig config = ServiceConfigLoader.load(Rendered.env(r.requireDeployment(service)),
                    SERVICE_CONFIG_MAPPINGS.get(service));
            // What every Kafka client of the service is built from (KafkaConnection, the one place).
            io.tessera.events.KafkaConnection kafka = io.tessera.events.KafkaConnection.from(
                    key -> config.getOptionalValue(key, String.class));
            assertThat(kafka.secured()).as(service).isTrue();
            assertThat(kafka.security()).as(service).containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512").containsEntry("ssl.truststore.type", "PEM")
                    .containsKeys("sasl.jaas.config", "ssl.truststore.certificates", "ssl.keystore.certificate.chain",
                            "ssl.keystore.key");
            assertThat(kafka.security().get("sasl.jaas.config")).as(service)
                    .contains("username=\"secret:tessera-kafka-user/username\"");
        }
        for (String indexer : INDEXERS) {
            SmallRyeConfig config = ServiceConfigLoader.load(Rendered.env(r.requireDeployment(indexer)), SERVICE_CONFIG_MAPPINGS.get(indexer));
            IndexerConfig c = IndexerConfig.from(config);
            assertThat(c.registry().basicAuthUserInfo()).contains("secret:tessera-registry/username:secret:tessera-registry/password");
            assertThat(c.registry().autoRegister()).isFalse();
            assertThat(c.fetch().fileRoots()).contains(List.of(Path.of("/var/lib/tessera/media")));
        }
        // The catalog's Kafka Streams application gets the same settings under its own keys.
        SmallRyeConfig catalog = ServiceConfigLoader.load(Rendered.env(r.requireDeployment("media-catalog")), SERVICE_CONFIG_MAPPINGS.get("media-catalog"));
        assertThat(catalog.getValue("quarkus.kafka-streams.security.protocol", String.class)).isEqualTo("SASL_SSL");
        assertThat(catalog.getValue("quarkus.kafka-streams.sasl.jaas-config", String.class)).startsWith("org.apache.kafka.common.security.scram.ScramLoginModule");
        assertThat(catalog.getValue("quarkus.kafka-streams.ssl.truststore.certificates", String.class)).isNotBlank();
        // Its topic provisioner connects with the same settings, so it still creates the topics it needs.
        assertThat(CatalogConfig.from(catalog).topics().create()).isTrue();
        SmallRyeConfig trainer = ServiceConfigLoader.load(Rendered.env(r.requireDeployment("trainer")), SERVICE_CONFIG_MAPPINGS.get("trainer"));
        assertThat(trainer.getValue("mp.messaging.outgoing.models.auto.register.schemas", String.class)).isEqualTo("false");
    }

    @Test
    void chartValuesArriveUnderTheNamesEachServiceReads() {
        Rendered r = Rendered.of(ValuesSet.CPU);
        SmallRyeConfig imageConfig = ServiceConfigLoader.load(Rendered.env(r.requireDeployment("image-indexer")),
                SERVICE_CONFIG_MAPPINGS.get("image-indexer"));
        IndexerConfig image = IndexerConfig.from(imageConfig);
        String brokers = imageConfig.getValue("kafka.bootstrap.servers", String.class);
        assertThat(image.topics().prefix()).contains("ci.");
        assertThat(brokers).isEqualTo("kafka-0.kafka.data.svc:9092,kafka-1.kafka.data.svc:9092");
        assertThat(image.kafka().groupId()).contains("ci.tessera-image-indexer");
        assertThat(image.models().dir()).contains(Path.of("/var/lib/tessera/models"));
        assertThat(image.milvus().collectionPrefix()).contains("ci_");
        assertThat(image.limits().maxBytes()).isEqualTo(134217728L);
        assertThat(image.fetch().allowedHosts()).contains(List.of("media.example.internal", "cdn.example.internal:8443"));
        assertThat(image.embedding().batchSize()).isEqualTo(16);

        SmallRyeConfig searchConfig = ServiceConfigLoader.load(Rendered.env(r.requireDeployment("search-api")), SERVICE_CONFIG_MAPPINGS.get("search-api"));
        SearchSettings search = SearchSettings.from(searchConfig);
        assertThat(search.models().dir()).contains(Path.of("/var/lib/tessera/models"));
        assertThat(search.search().catalog().url()).isEqualTo("http://tessera-media-catalog:8080");
        assertThat(searchConfig.getValue("kafka.bootstrap.servers", String.class)).isEqualTo(brokers);
        assertThat(search.model().name()).isEqualTo(image.model().name());
        assertThat(search.embedding().batchSize()).isPositive();
        assertThat(searchConfig.getValue("quarkus.http.host", String.class)).isEqualTo("0.0.0.0");

        TrainerConfig trainer = TrainerConfig.from(ServiceConfigLoader.load(Rendered.env(r.requireDeployment("trainer")),
                SERVICE_CONFIG_MAPPINGS.get("trainer")));
        assertThat(trainer.trainer().groupId()).isEqualTo("ci.tessera-trainer");
        assertThat(trainer.models().dir()).contains(Path.of("/var/lib/tessera/models"));
        assertThat(trainer.model().name()).isEqualTo(image.model().name());
        assertThat(trainer.topics().prefix()).contains("ci.");

        SmallRyeConfig catalog = ServiceConfigLoader.load(Rendered.env(r.requireDeployment("media-catalog")), SERVICE_CONFIG_MAPPINGS.get("media-catalog"));
        assertThat(catalog.getValue("quarkus.kafka-streams.application-id", String.class)).isEqualTo("ci.media-catalog");
        assertThat(catalog.getValue("kafka-streams.state.dir", String.class)).isEqualTo("/var/lib/tessera/state");
        assertThat(catalog.getValue("quarkus.kafka-streams.bootstrap-servers", String.class)).isEqualTo(brokers);
    }

    @Test
    void aKeyTheChartSetsButNoMappingReadsIsReported() {
        List<String> problems = ConfigMappingContract.check("image-indexer", List.of(IndexerConfigWithoutMilvus.class),
                ConfigKeys.load().forService("image-indexer"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("TESSERA_MILVUS_URI").contains("does not read it"));
    }

    @Test
    void aRequiredPropertyTheChartDoesNotAlwaysSetIsReported() {
        ConfigMappingContract.ServiceReads real = SERVICE_CONFIG_MAPPINGS.get("image-indexer");
        List<String> problems = ConfigMappingContract.check("image-indexer", new ConfigMappingContract.ServiceReads(
                requiringMore(), real.applicationProperties(), real.frameworkPrefixes()),
                ConfigKeys.load().forService("image-indexer"));
        assertThat(problems).singleElement().satisfies(p -> assertThat(p).contains("tessera.embedding.threads"));
    }

    @Test
    void aRequiredPropertyMissingFromTheRenderedEnvironmentFailsToLoad() {
        Deployment image = Rendered.of(ValuesSet.DEFAULTS).requireDeployment("image-indexer");
        ConfigMappingContract.ServiceReads real = SERVICE_CONFIG_MAPPINGS.get("image-indexer");
        assertThatThrownBy(() -> ServiceConfigLoader.load(Rendered.env(image), new ConfigMappingContract.ServiceReads(
                requiringMore(), real.applicationProperties(), real.frameworkPrefixes())))
                .hasMessageContaining("tessera.embedding.threads");
    }

    @ConfigMapping(prefix = "tessera.registry")
    interface IndexerConfigWithoutMilvus {
        String url();
    }

    /** The indexer's mappings with an embedding mapping that requires one more key. */
    private static List<Class<?>> requiringMore() {
        List<Class<?>> mappings = new ArrayList<>(IndexerConfig.MAPPINGS);
        mappings.set(mappings.indexOf(io.tessera.settings.EmbeddingSettings.class), EmbeddingRequiringMore.class);
        return mappings;
    }

    @ConfigMapping(prefix = "tessera.embedding")
    interface EmbeddingRequiringMore extends io.tessera.settings.EmbeddingSettings {
        int threads();
    }
}
