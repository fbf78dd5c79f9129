package io.tessera.trainer.round;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tessera.training.RetrievalMetrics;
import io.tessera.training.RetrievalReport;
import io.tessera.training.SoupResult;
import io.tessera.training.StepRecord;
import io.tessera.training.TrainingConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The training report written next to a model version ({@code training/report.json} inside its directory, with the
 * chart {@code training/report.png}): what the round trained on, how each ingredient's loss went, the soup, the
 * metrics before and after, the verdict, and the recall of every earlier round (for the chart).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingReport(
        String modelName,
        int version,
        Integer parentVersion,
        String trigger,
        Instant startedAt,
        Instant finishedAt,
        Map<String, Long> phaseMillis,
        Pairs pairs,
        TrainingConfig recipe,
        List<IngredientReport> ingredients,
        SoupReport soup,
        Map<String, Double> metrics,
        Map<String, RetrievalMetrics> before,
        Map<String, RetrievalMetrics> after,
        Decision decision,
        List<RoundPoint> history) {

    /** The folder inside a model directory where the report lives. */
    public static final String FOLDER = "training";
    public static final String JSON_FILE = FOLDER + "/report.json";
    public static final String CHART_FILE = FOLDER + "/report.png";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .findAndAddModules()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    public record Pairs(int buffered, int train, int validation, Map<String, Integer> excluded, int deferred,
                        int droppedNegatives) {
    }

    /**
     * @param loss the batch loss of every step, in order
     */
    public record IngredientReport(String runId, long seed, Map<String, Double> taskMix, double weight,
                                   boolean included, Map<String, Double> temperatures, double finalLoss,
                                   double validationScore, List<Double> loss, long trainMillis) {
    }

    public record SoupReport(String chosen, double uniformScore, double greedyScore, List<String> greedyKept) {
    }

    public record Decision(String status, double currentScore, double candidateScore, double margin, String reason) {
    }

    /** One round's validation mean recall@1 before and after, for the per-round chart. */
    public record RoundPoint(int version, double before, double after, String status) {
    }

    /** Builds the report of a finished round. */
    public static TrainingReport of(String modelName, int version, Integer parentVersion, String trigger,
                                    Instant startedAt, Instant finishedAt, Map<String, Long> phaseMillis, Pairs pairs,
                                    TrainingConfig recipe, RoundRunner.Result result, List<RoundPoint> earlier) {
        Map<String, SoupResult.Entry> entries = new LinkedHashMap<>();
        for (SoupResult.Entry e : result.chosen().recipe()) {
            entries.put(e.runId(), e);
        }
        List<IngredientReport> ingredients = new ArrayList<>();
        for (RoundRunner.Ingredient i : result.ingredients()) {
            SoupResult.Entry e = entries.get(i.runId());
            List<StepRecord> h = i.run().history();
            ingredients.add(new IngredientReport(i.runId(), i.seed(), i.taskMix(), e == null ? 0 : e.weight(),
                    e != null && e.included(), i.run().temperatures(),
                    h.isEmpty() ? Double.NaN : i.run().meanLoss(h.get(h.size() - 1).epoch()),
                    i.validation().meanRecallAt1(), h.stream().map(StepRecord::loss).toList(), i.run().elapsedMillis()));
        }
        List<String> kept = result.greedy().recipe().stream().filter(SoupResult.Entry::included)
                .map(SoupResult.Entry::runId).toList();
        SoupReport soup = new SoupReport(result.chosen().method(), result.uniform().score(), result.greedy().score(), kept);
        String status = result.decision().promote() ? "PROMOTED" : "REJECTED";
        Decision decision = new Decision(status, result.decision().currentScore(), result.decision().candidateScore(),
                result.decision().margin(), result.decision().reason());
        List<RoundPoint> history = new ArrayList<>(earlier);
        history.add(new RoundPoint(version, result.before().meanRecallAt1(), result.after().meanRecallAt1(), status));
        return new TrainingReport(modelName, version, parentVersion, trigger, startedAt, finishedAt,
                new TreeMap<>(phaseMillis), pairs, recipe, ingredients, soup, metrics(result), result.before().byTask(),
                result.after().byTask(), decision, history);
    }

    /**
     * The figures published in {@code ModelVersion.metrics}: {@code recall@k.before/after} (mean over tasks and both
     * directions), per task and direction ({@code <task>.q2c.recall@k.after}, {@code c2q} = candidate to query), the
     * validation score the gate compared, and the loss (mean of the ingredients' last-epoch batch loss).
     */
    public static Map<String, Double> metrics(RoundRunner.Result result) {
        Map<String, Double> m = new TreeMap<>();
        put(m, "before", result.before());
        put(m, "after", result.after());
        m.put("score.before", result.decision().currentScore());
        m.put("score.after", result.decision().candidateScore());
        m.put("loss", result.finalLoss());
        m.put("loss.first-epoch", result.firstLoss());
        return m;
    }

    /** {@code recall@k.<suffix>} of a report, in the same naming as {@link #metrics}. */
    public static void put(Map<String, Double> m, String suffix, RetrievalReport r) {
        double[] sums = new double[3];
        int n = 0;
        for (Map.Entry<String, RetrievalMetrics> e : r.byTask().entrySet()) {
            RetrievalMetrics.Recall q = e.getValue().queryToCandidate();
            RetrievalMetrics.Recall c = e.getValue().candidateToQuery();
            String t = e.getKey();
            m.put(t + ".q2c.recall@1." + suffix, q.at1());
            m.put(t + ".q2c.recall@5." + suffix, q.at5());
            m.put(t + ".q2c.recall@10." + suffix, q.at10());
            m.put(t + ".c2q.recall@1." + suffix, c.at1());
            m.put(t + ".c2q.recall@5." + suffix, c.at5());
            m.put(t + ".c2q.recall@10." + suffix, c.at10());
            sums[0] += q.at1() + c.at1();
            sums[1] += q.at5() + c.at5();
            sums[2] += q.at10() + c.at10();
            n += 2;
        }
        if (n > 0) {
            m.put("recall@1." + suffix, sums[0] / n);
            m.put("recall@5." + suffix, sums[1] / n);
            m.put("recall@10." + suffix, sums[2] / n);
        }
    }

    /** Writes {@code report.json} and {@code report.png} under {@code modelDir/training/}. */
    public void writeTo(Path modelDir) {
        try {
            Files.createDirectories(modelDir.resolve(FOLDER));
            Files.write(modelDir.resolve(JSON_FILE), JSON.writeValueAsBytes(this));
            ReportChart.write(this, modelDir.resolve(CHART_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the training report into " + modelDir + ": " + e.getMessage(), e);
        }
    }

    public static TrainingReport read(Path modelDir) throws IOException {
        return JSON.readValue(modelDir.resolve(JSON_FILE).toFile(), TrainingReport.class);
    }

    static ObjectMapper json() {
        return JSON;
    }
}
