package io.tessera.training.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OptimizationTest {

    @Test
    void warmupIsLinearToThePeakThenCosineDecaysToTheFloor() {
        var s = new LearningRateSchedule(1.0, 4, 14, 0.0);
        assertEquals(0.25, s.rate(0), 1e-15);
        assertEquals(0.50, s.rate(1), 1e-15);
        assertEquals(1.00, s.rate(3), 1e-15);
        // decay: 10 steps, progress (t−3)/10
        assertEquals(0.5 * (1 + Math.cos(Math.PI * 0.1)), s.rate(4), 1e-15);
        assertEquals(0.5, s.rate(8), 1e-15);
        assertEquals(0.0, s.rate(13), 1e-15);
        var floor = new LearningRateSchedule(2e-3, 0, 10, 0.1);
        assertEquals(2e-3 * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * 0.1))), floor.rate(0), 1e-18);
        assertEquals(2e-4, floor.rate(9), 1e-18);
        for (int t = 4; t < 13; t++) {
            assertEquals(true, s.rate(t + 1) < s.rate(t), "monotone decay at " + t);
        }
    }

    @Test
    void warmupStepsComeFromTheFractionAndLeaveADecayStep() {
        assertEquals(10, LearningRateSchedule.of(1, 0.1, 100, 0).warmupSteps());
        assertEquals(0, LearningRateSchedule.of(1, 0.1, 1, 0).warmupSteps());
        assertEquals(4, LearningRateSchedule.of(1, 0.9, 5, 0).warmupSteps());
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(1, 5, 4, 0));
    }

    @Test
    void adamWMatchesTheReferenceUpdateWithDecoupledDecay() {
        double b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.1, lr = 0.01;
        double[] p = {1.0, -2.0};
        double[] g = {0.5, 0.25};
        AdamW opt = new AdamW(b1, b2, eps, wd);
        opt.add(new AdamW.Group(p, g, 1.0, true));
        opt.step(lr);
        // step 1: m̂ = g, v̂ = g², so the Adam part is lr·g/(|g|+eps); decay multiplies p by (1 − lr·wd) first.
        assertEquals(1.0 * (1 - lr * wd) - lr * 0.5 / (0.5 + eps), p[0], 1e-15);
        assertEquals(-2.0 * (1 - lr * wd) - lr * 0.25 / (0.25 + eps), p[1], 1e-15);

        // step 2 with a new gradient, by the textbook formulas
        double[] pPrev = p.clone();
        g[0] = -1.0;
        g[1] = 0.0;
        opt.step(lr);
        double m0 = b1 * (1 - b1) * 0.5 + (1 - b1) * -1.0;
        double v0 = b2 * (1 - b2) * 0.25 + (1 - b2) * 1.0;
        double expected0 = pPrev[0] * (1 - lr * wd) - lr * (m0 / (1 - b1 * b1)) / (Math.sqrt(v0 / (1 - b2 * b2)) + eps);
        assertEquals(expected0, p[0], 1e-15);
        double m1 = b1 * (1 - b1) * 0.25;
        double v1 = b2 * (1 - b2) * 0.0625;
        double expected1 = pPrev[1] * (1 - lr * wd) - lr * (m1 / (1 - b1 * b1)) / (Math.sqrt(v1 / (1 - b2 * b2)) + eps);
        assertEquals(expected1, p[1], 1e-15);
    }

    @Test
    void noDecayGroupsAreNotDecayedAndUseTheirOwnLearningRate() {
        double[] p = {3.0};
        double[] g = {0.0};
        AdamW opt = new AdamW(0.9, 0.999, 1e-8, 0.5);
        opt.add(new AdamW.Group(p, g, 2.0, false));
        opt.step(0.1);
        assertEquals(3.0, p[0], 0.0, "zero gradient and no decay: unchanged");
        g[0] = 1.0;
        opt.step(0.1);
        // second step of this group: m̂ = (0.1·1)/(1−0.81), v̂ = (0.001·1)/(1−0.998001); lr·multiplier = 0.2
        double mHat = 0.1 / (1 - 0.81);
        double vHat = 0.001 / (1 - 0.999 * 0.999);
        assertEquals(3.0 - 0.2 * mHat / (Math.sqrt(vHat) + 1e-8), p[0], 1e-14);
    }

    @Test
    void inactiveGroupsAreLeftAloneIncludingDecayAndMomentum() {
        double[] p = {1.0};
        double[] g = {1.0};
        AdamW opt = new AdamW(0.9, 0.999, 1e-8, 0.1);
        AdamW.Group group = new AdamW.Group(p, g, 1.0, true);
        opt.add(group);
        opt.step(0.1);
        double after = p[0];
        group.setActive(false);
        g[0] = 0;
        opt.step(0.1);
        assertEquals(after, p[0], 0.0);
    }

    @Test
    void clippingScalesTheGlobalNormAcrossGroups() {
        double[] g1 = {3.0, 0.0};
        double[] g2 = {4.0};
        AdamW opt = new AdamW(0.9, 0.999, 1e-8, 0);
        opt.add(new AdamW.Group(new double[2], g1, 1, true));
        opt.add(new AdamW.Group(new double[1], g2, 1, false));
        assertEquals(5.0, opt.clipGradientNorm(1.0), 1e-15);
        assertEquals(1.0, opt.gradientNorm(), 1e-9);
        assertArrayEquals(new double[] {0.6, 0.0}, g1, 1e-9);
        assertEquals(1.0, opt.clipGradientNorm(0.0), 1e-9, "0 disables clipping");
        assertEquals(1.0, opt.clipGradientNorm(10.0), 1e-9);
        assertArrayEquals(new double[] {0.8}, g2, 1e-9, "a norm under the limit is not scaled");
    }

    @Test
    void temperatureIsClampedAndProjectedIntoItsRange() {
        assertEquals(0.05, Temperature.tau(Math.log(0.05), 0.01, 1), 1e-15);
        assertEquals(1.0, Temperature.tau(2.0, 0.01, 1), 0);
        assertEquals(0.01, Temperature.tau(-10, 0.01, 1), 0);
        assertEquals(0.0, Temperature.gradTheta(2.0, 0.01, 1, 3.0));
        assertEquals(3.0 * 0.05, Temperature.gradTheta(Math.log(0.05), 0.01, 1, 3.0), 1e-15);
        assertEquals(Math.log(0.01), Temperature.project(-10, 0.01, 1), 0);
        assertEquals(0.0, Temperature.project(2, 0.01, 1), 0);
        // on the boundary the gradient still flows, so the temperature can come back inside
        assertEquals(3.0, Temperature.gradTheta(0.0, 0.01, 1, 3.0), 1e-15);
    }
}
