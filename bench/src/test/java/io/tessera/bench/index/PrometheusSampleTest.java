package io.tessera.bench.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusSampleTest {

    @Test
    void readsNamesLabelsAndValuesAndSkipsComments() {
        String text = """
                # HELP tessera_indexer_version_items_total items embedded
                # TYPE tessera_indexer_version_items_total counter
                tessera_indexer_version_items_total{model="tessera-base",source="arrival",version="1",} 120.0
                tessera_indexer_version_items_total{model="tessera-base",source="backfill",version="2",} 1.5E3
                tessera_indexer_records_out_total{status="INDEXED",note="a \\"quoted\\" value"} 118.0
                process_uptime_seconds 12.5
                """;
        List<RolloutCost.PrometheusSample> samples = RolloutCost.PrometheusSample.parse(text);
        assertThat(samples).hasSize(4);
        assertThat(samples.get(0).name()).isEqualTo("tessera_indexer_version_items_total");
        assertThat(samples.get(0).labels()).containsEntry("source", "arrival").containsEntry("version", "1");
        assertThat(samples.get(1).value()).isEqualTo(1500.0);
        assertThat(samples.get(2).labels()).containsEntry("status", "INDEXED");
        assertThat(samples.get(3)).isEqualTo(new RolloutCost.PrometheusSample("process_uptime_seconds", Map.of(), 12.5));
    }
}
