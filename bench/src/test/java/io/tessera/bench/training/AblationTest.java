package io.tessera.bench.training;

import io.tessera.training.SmallProblem;
import io.tessera.training.SoupResult;
import io.tessera.training.SyntheticDataset;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AblationTest {

    @Test
    void theAblationRunsEveryRowOnAnyDatasetAndItsSoupsHoldTheirGuarantee() {
        SyntheticDataset data = new SyntheticDataset(SmallProblem.spec(5));
        Ablation.Options options = new Ablation.Options(SmallProblem.config().build(), List.of(1L, 2L),
                List.of(new Ablation.IngredientSpec("a", 11, Map.of()),
                        new Ablation.IngredientSpec("b", 12, Map.of(SyntheticDataset.TEXT_TO_IMAGE, 1.5,
                                SyntheticDataset.TEXT_TO_VIDEO, 0.5))),
                true, List.of(1.0, 3.0), List.of(0.8, 0.95));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Ablation.Result result = Ablation.run(AblationDataset.of(data), options, new PrintStream(log, true, StandardCharsets.UTF_8));

        assertEquals(List.of(SyntheticDataset.TEXT_TO_IMAGE, SyntheticDataset.TEXT_TO_VIDEO), result.tasks());
        assertEquals(4 + 2, result.components().size());
        result.components().forEach(r -> assertEquals(2, r.test().size(), r.name()));
        assertEquals(0.0, result.components().get(0).filteredShare(), "plain InfoNCE filters nothing");
        // 2 ingredients + best single + 2 modes x (uniform, greedy)
        assertEquals(2 + 1 + 4, result.soups().size());
        for (SoupResult soup : result.soupResults()) {
            if (soup.method().equals("greedy")) {
                double best = soup.recipe().stream().mapToDouble(SoupResult.Entry::score).max().orElseThrow();
                assertTrue(soup.score() >= best);
            }
        }
        double base = result.base().test().get(0).meanRecallAt1();
        double plain = result.components().get(0).test().stream().mapToDouble(r -> r.meanRecallAt1()).average()
                .orElseThrow();
        assertTrue(plain > base, "training must beat the base projection: " + base + " vs " + plain);

        String table = Ablation.toMarkdown(result);
        assertTrue(table.contains("| plain InfoNCE |"), table);
        assertTrue(table.contains("text->image R@1 | image->text R@1"), table);
        assertTrue(table.contains("greedy soup, average of merged"), table);
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("tuning β=3"));
    }
}
