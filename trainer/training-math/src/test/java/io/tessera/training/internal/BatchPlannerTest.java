package io.tessera.training.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchPlannerTest {

    private static final int[][] TASKS = {range(0, 130), range(130, 170), range(170, 175)};

    @Test
    void everyEpochCoversEachExampleOnceInSingleTaskBatchesOfNearEqualSize() {
        List<BatchPlanner.Batch> plan = BatchPlanner.plan(TASKS, new double[] {1, 1, 1}, 64, 2, new SplittableRandom(1));
        for (int epoch = 0; epoch < 2; epoch++) {
            int[] seen = new int[175];
            for (BatchPlanner.Batch b : plan) {
                if (b.epoch() != epoch) {
                    continue;
                }
                for (int ex : b.examples()) {
                    seen[ex]++;
                    int task = ex < 130 ? 0 : ex < 170 ? 1 : 2;
                    assertEquals(task, b.task(), "a batch holds one task only");
                }
            }
            for (int c : seen) {
                assertEquals(1, c);
            }
        }
        // 130 examples at 64 per batch: 3 batches of 44/43/43, not 64/64/2
        int[] sizes = plan.stream().filter(b -> b.epoch() == 0 && b.task() == 0).mapToInt(b -> b.examples().length)
                .sorted().toArray();
        assertEquals("[43, 43, 44]", Arrays.toString(sizes));
        assertEquals(2 * (3 + 1 + 1), plan.size());
    }

    @Test
    void tasksInterleaveAndEpochsStayInOrder() {
        List<BatchPlanner.Batch> plan = BatchPlanner.plan(new int[][] {range(0, 640), range(640, 1280)},
                new double[] {1, 1}, 64, 3, new SplittableRandom(3));
        int switches = 0;
        for (int i = 1; i < plan.size(); i++) {
            switches += plan.get(i).task() != plan.get(i - 1).task() ? 1 : 0;
            assertTrue(plan.get(i).epoch() >= plan.get(i - 1).epoch());
        }
        assertTrue(switches >= 10, "tasks should interleave, got " + switches + " switches in " + plan.size() + " batches");
    }

    @Test
    void taskMixWeightsSubsampleAndRepeat() {
        List<BatchPlanner.Batch> plan = BatchPlanner.plan(new int[][] {range(0, 100), range(100, 200), range(200, 300)},
                new double[] {0.5, 2.0, 0}, 32, 1, new SplittableRandom(4));
        int[] perTask = new int[3];
        int[] seen = new int[300];
        for (BatchPlanner.Batch b : plan) {
            perTask[b.task()] += b.examples().length;
            for (int ex : b.examples()) {
                seen[ex]++;
            }
        }
        assertEquals(50, perTask[0]);
        assertEquals(200, perTask[1]);
        assertEquals(0, perTask[2]);
        for (int i = 100; i < 200; i++) {
            assertEquals(2, seen[i]);
        }
    }

    @Test
    void theSameSeedGivesTheSamePlanAndAnotherSeedAnotherOne() {
        String a = describe(BatchPlanner.plan(TASKS, new double[] {1, 1, 1}, 16, 2, new SplittableRandom(9)));
        String b = describe(BatchPlanner.plan(TASKS, new double[] {1, 1, 1}, 16, 2, new SplittableRandom(9)));
        String c = describe(BatchPlanner.plan(TASKS, new double[] {1, 1, 1}, 16, 2, new SplittableRandom(10)));
        assertEquals(a, b);
        assertTrue(!a.equals(c));
    }

    private static String describe(List<BatchPlanner.Batch> plan) {
        List<String> out = new ArrayList<>();
        for (BatchPlanner.Batch b : plan) {
            out.add(b.epoch() + ":" + b.task() + ":" + Arrays.toString(b.examples()));
        }
        return out.toString();
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }
}
