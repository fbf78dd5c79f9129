package io.tessera.training;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {

    private static final SyntheticDataset DATA = new SyntheticDataset(SmallProblem.spec(3));
    private static final TrainingSet SET = TrainingSet.prepare(DATA.training(), DATA.baseProjections());

    @Test
    void trainingLowersTheLossAndRaisesHeldOutRecall() {
        TrainingRun run = Trainer.train(SET, SmallProblem.config().seed(1).build());
        int epochs = run.config().epochs();
        assertTrue(run.meanLoss(epochs - 1) < 0.8 * run.meanLoss(0),
                "loss " + run.meanLoss(0) + " -> " + run.meanLoss(epochs - 1));
        double before = RetrievalEvaluator.evaluate(DATA.test(), DATA.baseProjections()).meanRecallAt1();
        double after = RetrievalEvaluator.evaluate(DATA.test(), run.mergedProjections(DATA.baseProjections()))
                .meanRecallAt1();
        assertTrue(after > before + 0.05, "held-out recall@1 " + before + " -> " + after);
    }

    @Test
    void theSameSeedGivesBitIdenticalRunsAndAnotherSeedDoesNot() {
        TrainingConfig config = SmallProblem.config().seed(5).epochs(1).build();
        TrainingRun a = Trainer.train(SET, config);
        TrainingRun b = Trainer.train(SET, config);
        assertEquals(a.history(), b.history());
        assertEquals(a.adapters(), b.adapters());
        assertEquals(a.temperatures(), b.temperatures());
        TrainingRun c = Trainer.train(SET, config.toBuilder().seed(6).build());
        assertNotEquals(a.adapters(), c.adapters());
        assertNotEquals(a.history().get(0).loss(), c.history().get(0).loss());
    }

    @Test
    void everyStepIsOneTaskAndTheScheduleWarmsUpThenDecays() {
        TrainingRun run = Trainer.train(SET, SmallProblem.config().seed(2).build());
        List<StepRecord> h = run.history();
        assertTrue(h.stream().allMatch(s -> SET.tasks().contains(s.task())));
        assertTrue(h.stream().map(StepRecord::task).distinct().count() == 2);
        int expectedSteps = 0;
        for (String task : SET.tasks()) {
            long n = SET.examples().stream().filter(e -> SET.tasks().get(e.task()).equals(task)).count();
            expectedSteps += (int) Math.ceil(n / 16.0);
        }
        assertEquals(run.config().epochs() * expectedSteps, h.size());
        int peak = 0;
        for (int i = 1; i < h.size(); i++) {
            if (h.get(i).learningRate() > h.get(peak).learningRate()) {
                peak = i;
            }
        }
        assertEquals(run.config().learningRate(), h.get(peak).learningRate(), 1e-15);
        assertEquals(Math.round(0.1 * h.size()) - 1, peak);
        assertEquals(0.0, h.get(h.size() - 1).learningRate(), 1e-12);
    }

    @Test
    void learnableTemperaturesMovePerTaskWithinTheirRangeAndFixedOnesDoNot() {
        TrainingRun learned = Trainer.train(SET, SmallProblem.config().seed(3).temperatureInit(0.2)
                .temperatureRange(0.05, 0.5).temperatureLearningRate(0.05).build());
        for (double t : learned.temperatures().values()) {
            assertTrue(t >= 0.05 && t <= 0.5);
            assertNotEquals(0.2, t, 1e-6);
        }
        assertNotEquals(learned.temperatures().get(SyntheticDataset.TEXT_TO_IMAGE),
                learned.temperatures().get(SyntheticDataset.TEXT_TO_VIDEO));
        TrainingRun fixed = Trainer.train(SET, SmallProblem.config().seed(3).learnableTemperature(false)
                .temperatureInit(0.2).build());
        for (double t : fixed.temperatures().values()) {
            assertEquals(0.2, t, 1e-15);
        }
        assertTrue(fixed.history().stream().allMatch(s -> Math.abs(s.temperature() - 0.2) < 1e-15));
    }

    @Test
    void falseNegativeFilteringReportsDroppedNegativesOnlyWhenOn() {
        TrainingRun on = Trainer.train(SET, SmallProblem.config().seed(4).delta(0.5).build());
        TrainingRun off = Trainer.train(SET, SmallProblem.config().seed(4).falseNegativeFiltering(false).build());
        assertTrue(on.history().stream().mapToInt(StepRecord::filteredNegatives).sum() > 0);
        assertEquals(0, off.history().stream().mapToInt(StepRecord::filteredNegatives).sum());
    }

    @Test
    void fullRankUsesMinOfTheProjectionShape() {
        TrainingRun run = Trainer.train(SET, SmallProblem.config().fullRank().epochs(1).build());
        run.adapters().forEach((tower, a) -> assertEquals(Math.min(a.outDim(), a.inDim()), a.rank(), tower));
        assertThrows(InvalidTrainingInputException.class,
                () -> Trainer.train(SET, SmallProblem.config().loraRank(1000).build()));
    }

    @Test
    void symmetricLossAndPerExampleWeightsTrain() {
        TrainingRun run = Trainer.train(SET, SmallProblem.config().symmetricLoss(true).seed(8).build());
        assertTrue(run.meanLoss(run.config().epochs() - 1) < run.meanLoss(0));
    }

    @Test
    void anInterruptedThreadCancelsTheRun() {
        Thread.currentThread().interrupt();
        try {
            assertThrows(CancellationException.class, () -> Trainer.train(SET, SmallProblem.config().build()));
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aListenerSeesEveryStep() {
        List<Integer> steps = new ArrayList<>();
        int[] total = new int[1];
        TrainingRun run = Trainer.train(SET, SmallProblem.config().epochs(1).build(), "r", (s, n) -> {
            steps.add(s.step());
            total[0] = n;
        });
        assertEquals(run.history().size(), steps.size());
        assertEquals(steps.size(), total[0]);
    }

    @Test
    void badInputIsRejectedWithAMessageThatNamesIt() {
        SplittableRandom random = new SplittableRandom(1);
        Map<String, Projection> base = Fixtures.twoTowers(random, 6, 5, 4);
        List<Example> ok = Fixtures.textToImage(random, "t", 3, 1, 6, 5);
        var wrongDim = assertThrows(InvalidTrainingInputException.class, () -> TrainingSet.prepare(
                List.of(new Example("t", new FeatureItem("text", "q", new float[7]), ok.get(0).positive(), List.of())), base));
        assertTrue(wrongDim.getMessage().contains("has 7 features"), wrongDim.getMessage());
        var unknown = assertThrows(InvalidTrainingInputException.class, () -> TrainingSet.prepare(
                List.of(new Example("t", new FeatureItem("audio", "q", new float[6]), ok.get(0).positive(), List.of())), base));
        assertTrue(unknown.getMessage().contains("'audio'"), unknown.getMessage());
        assertThrows(InvalidTrainingInputException.class, () -> TrainingSet.prepare(List.of(), base));
        var clash = assertThrows(InvalidTrainingInputException.class, () -> TrainingSet.prepare(List.of(ok.get(0),
                new Example("t", new FeatureItem("text", ok.get(0).query().key(), Fixtures.randomFeatures(random, 6)),
                        ok.get(1).positive(), List.of())), base));
        assertTrue(clash.getMessage().contains("two different feature vectors"), clash.getMessage());
        var zero = assertThrows(InvalidTrainingInputException.class, () -> TrainingSet.prepare(List.of(
                new Example("t", new FeatureItem("text", "z", new float[6]), ok.get(0).positive(), List.of())), base));
        assertTrue(zero.getMessage().contains("zero vector"), zero.getMessage());
        assertThrows(InvalidTrainingInputException.class, () -> new FeatureItem("text", "nan", new float[] {Float.NaN}));
        assertThrows(InvalidTrainingInputException.class, () -> new Example("t", ok.get(0).query(), ok.get(0).positive(),
                List.of(ok.get(0).query())), "a negative in the query's tower cannot compete with an image positive");
        assertThrows(InvalidTrainingInputException.class, () -> TrainingConfig.builder().temperatureInit(2).build());
        assertThrows(InvalidTrainingInputException.class, () -> TrainingConfig.builder().batchSize(1).build());
        assertThrows(InvalidTrainingInputException.class, () -> TrainingConfig.builder().delta(1.5).build());
        Map<String, Projection> mismatched = Map.of("text", Fixtures.randomProjection(random, 4, 6),
                "image", Fixtures.randomProjection(random, 3, 5));
        assertThrows(InvalidTrainingInputException.class, () -> TrainingSet.prepare(ok, mismatched));
    }

    @Test
    void duplicateKeysAreOneItem() {
        SplittableRandom random = new SplittableRandom(4);
        Map<String, Projection> base = Fixtures.twoTowers(random, 6, 5, 4);
        List<Example> ex = Fixtures.textToImage(random, "t", 2, 0, 6, 5);
        Example reuse = new Example("t", ex.get(1).query(), ex.get(0).positive(), List.of());
        TrainingSet set = TrainingSet.prepare(List.of(ex.get(0), ex.get(1), reuse), base);
        assertEquals(2, set.towerItems(set.towers().indexOf("image")).size());
        assertEquals(2, set.towerItems(set.towers().indexOf("text")).size());
        assertArrayEquals(new String[] {"image", "text"}, set.towers().toArray(new String[0]));
    }
}
