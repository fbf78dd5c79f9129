package io.tessera.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The services' half of the configuration contract: each service's @ConfigMapping interfaces against its
 * keys in config-keys.yaml (see {@link ConfigMappingContract} for the rules).
 *
 * <p>HOOK for when the services land: add the service module to helm/pom.xml as a test dependency and its
 * @ConfigMapping interfaces to {@link #SERVICE_CONFIG_MAPPINGS} under its config-keys.yaml name. Until then
 * the check is skipped with a message, and proven on {@link ExampleIndexerConfig}, the shape an indexer's
 * configuration takes under the contract.
 */
class ServiceConfigMappingContractTest {

    static final Map<String, List<Class<?>>> SERVICE_CONFIG_MAPPINGS = Map.of(
            // "image-indexer", List.of(io.tessera.indexer.image.ImageIndexerConfig.class),
    );

    @Test
    void serviceConfigMappingsReadEveryKeyTheChartSetsAndRequireNoOther() {
        assumeFalse(SERVICE_CONFIG_MAPPINGS.isEmpty(), "NO SERVICE @ConfigMapping REGISTERED YET: config-keys.yaml is checked "
                + "against the chart only. Register the services in ServiceConfigMappingContractTest.SERVICE_CONFIG_MAPPINGS.");
        ConfigKeys keys = ConfigKeys.load();
        List<String> problems = new ArrayList<>();
        SERVICE_CONFIG_MAPPINGS.forEach((service, mappings) ->
                problems.addAll(ConfigMappingContract.check(service, mappings, keys.forService(service))));
        assertThat(problems).isEmpty();
    }

    @Test
    void anIndexerMappingThatFollowsTheContractPasses() {
        List<String> problems = ConfigMappingContract.check("image-indexer", List.of(ExampleIndexerConfig.class),
                ConfigKeys.load().forService("image-indexer"));
        assertThat(problems).isEmpty();
    }

    @Test
    void aKeyTheChartSetsButNoMappingReadsIsReported() {
        List<String> problems = ConfigMappingContract.check("image-indexer", List.of(IndexerConfigWithoutMilvus.class),
                ConfigKeys.load().forService("image-indexer"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("TESSERA_MILVUS_URI").contains("no @ConfigMapping"));
    }

    @Test
    void aRequiredPropertyTheChartDoesNotAlwaysSetIsReported() {
        List<String> problems = ConfigMappingContract.check("image-indexer", List.of(IndexerConfigRequiringMore.class),
                ConfigKeys.load().forService("image-indexer"));
        assertThat(problems).singleElement().satisfies(p -> assertThat(p).contains("tessera.embedding.threads"));
    }

    /** What an indexer's configuration looks like under config-keys.yaml (a model for the service authors). */
    @ConfigMapping(prefix = "tessera")
    interface ExampleIndexerConfig {
        Topic topic();

        Registry registry();

        Milvus milvus();

        Model model();

        @io.smallrye.config.WithName("model-store")
        ModelStore modelStore();

        Embedding embedding();

        Kafka kafka();

        Fetch fetch();

        interface Topic {
            @WithDefault("")
            String prefix();
        }

        interface Registry {
            String url();

            Optional<String> username();

            Optional<String> password();
        }

        interface Milvus {
            String uri();

            Optional<String> token();

            Optional<String> database();

            @WithDefault("")
            String collectionPrefix();
        }

        interface Model {
            String name();

            Optional<String> cacheDir();
        }

        interface ModelStore {
            String uri();

            Optional<String> endpoint();

            Optional<String> region();

            Optional<String> accessKeyId();

            Optional<String> secretAccessKey();
        }

        interface Embedding {
            String device();

            int batchSize();
        }

        interface Kafka {
            String groupId();
        }

        interface Fetch {
            Optional<List<String>> allowedSchemes();

            Optional<List<String>> allowedHosts();

            Optional<List<String>> fileRoots();

            OptionalLong maxBytes();
        }
    }

    @ConfigMapping(prefix = "tessera")
    interface IndexerConfigWithoutMilvus {
        Registry registry();

        interface Registry {
            String url();
        }
    }

    @ConfigMapping(prefix = "tessera")
    interface IndexerConfigRequiringMore extends ExampleIndexerConfig {
        @io.smallrye.config.WithName("embedding.threads")
        int embeddingThreads();
    }
}
