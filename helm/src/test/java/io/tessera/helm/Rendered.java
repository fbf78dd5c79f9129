package io.tessera.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The chart rendered with one values set: the raw documents and their strictly typed objects. */
final class Rendered {
    /** The services of the chart, as named in labels and in config-keys.yaml. */
    static final List<String> SERVICES = List.of("media-catalog", "image-indexer", "video-indexer",
            "document-indexer", "text-indexer", "search-api", "trainer");
    static final List<String> INDEXERS = List.of("image-indexer", "video-indexer", "document-indexer", "text-indexer");
    static final String COMPONENT = "app.kubernetes.io/component";

    private static final Map<ValuesSet, Rendered> CACHE = new ConcurrentHashMap<>();
    private static final YAMLMapper PLAIN = new YAMLMapper();

    final ValuesSet values;
    final String text;
    final List<JsonNode> documents;

    private Rendered(ValuesSet values, String text, List<JsonNode> documents) {
        this.values = values;
        this.text = text;
        this.documents = documents;
    }

    /** The chart rendered with these values (once per test run). */
    static Rendered of(ValuesSet values) {
        Helm helm = Helm.require();
        return CACHE.computeIfAbsent(values, v -> {
            Helm.Result result = helm.template(v);
            assertThat(result.ok()).as("helm template with %s:\n%s", v, result.describe()).isTrue();
            return new Rendered(v, result.stdout(), parseDocuments(result.stdout()));
        });
    }

    static List<JsonNode> parseDocuments(String yaml) {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = PLAIN.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("rendered output is not valid YAML: " + e.getMessage(), e);
        }
        return docs;
    }

    private volatile List<Object> typed;

    /** Every document as its typed Kubernetes object (fails on the first invalid one); parsed once. */
    List<Object> typed() {
        if (typed == null) {
            typed = documents.stream().map(StrictKubernetesModel::parse).toList();
        }
        return typed;
    }

    <T> List<T> all(Class<T> type) {
        return typed().stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<Deployment> deployments() {
        return all(Deployment.class);
    }

    Optional<Deployment> deployment(String service) {
        return deployments().stream().filter(d -> service.equals(component(d))).findFirst();
    }

    Deployment requireDeployment(String service) {
        return deployment(service).orElseThrow(() -> new AssertionError("no Deployment for " + service + " with " + values));
    }

    static String component(HasMetadata resource) {
        return resource.getMetadata().getLabels() == null ? null : resource.getMetadata().getLabels().get(COMPONENT);
    }

    static Container container(Deployment d) {
        List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).as("containers of %s", d.getMetadata().getName()).hasSize(1);
        return containers.get(0);
    }

    static List<EnvVar> env(Deployment d) {
        List<EnvVar> env = container(d).getEnv();
        return env == null ? List.of() : env;
    }

    static Optional<String> envValue(Deployment d, String name) {
        return env(d).stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst();
    }
}
