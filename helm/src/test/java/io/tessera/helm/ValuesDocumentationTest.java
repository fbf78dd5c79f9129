package io.tessera.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every value in values.yaml carries a `## @param` line (Bitnami readme-generator style) and vice versa. */
class ValuesDocumentationTest {
    private static final Pattern PARAM = Pattern.compile("^## @param (\\S+) \\S.*$", Pattern.MULTILINE);

    @Test
    void everyValueIsDocumentedWithParamAndEveryParamNamesAValue() throws IOException {
        String text = Files.readString(Repo.chart().resolve("values.yaml"));
        Set<String> documented = new LinkedHashSet<>();
        Matcher m = PARAM.matcher(text);
        while (m.find()) {
            assertThat(documented.add(m.group(1))).as("@param %s documented twice", m.group(1)).isTrue();
        }
        Set<String> leaves = new LinkedHashSet<>();
        collectLeaves(new YAMLMapper().readTree(text), "", documented, leaves);
        assertThat(leaves).as("values without a `## @param` line").isSubsetOf(documented);
        assertThat(documented).as("`## @param` lines naming no value").isSubsetOf(leaves);
    }

    @Test
    void valuesSchemaIsDraft07AndClosesEveryServiceBlock() throws IOException {
        JsonNode schema = new YAMLMapper().readTree(Repo.chart().resolve("values.schema.json").toFile());
        assertThat(schema.path("$schema").asText()).isEqualTo("http://json-schema.org/draft-07/schema#");
        assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
        for (String block : new String[] {"catalog", "indexer", "search", "trainer"}) {
            assertThat(schema.path("definitions").path(block).path("additionalProperties").asBoolean(true))
                    .as("definitions.%s.additionalProperties", block).isFalse();
        }
    }

    /**
     * A leaf is a scalar, a list, an empty map (for the user to fill), or a map documented as a whole
     * (e.g. `resources`, whose shape is Kubernetes', not the chart's).
     */
    private static void collectLeaves(JsonNode node, String path, Set<String> documented, Set<String> out) {
        if (node.isObject() && !node.isEmpty() && !documented.contains(path)) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                collectLeaves(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), documented, out);
            }
        } else {
            out.add(path);
        }
    }
}
