package org.ldmlab.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ldmlab.schedule.Noise;
import org.ldmlab.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** DDIM inversion against DDIM sampling, and guidance whose unconditional input changes per step. */
class DdimInversionTest {
    private static final int T = 200;
    private static final long[] SHAPE = {2, 4, 8, 8}; // [B, c, h, w]

    /** A noise model that ignores z_t: eps depends on t alone, so eps(z_{t-1}, t) = eps(z_t, t) and inversion is exact. */
    private static final NoiseModel ONLY_T = (xt, t, cond, step) -> Nd4j.ones(xt.dataType(), xt.shape()).muli(Math.sin(t[0] / 17.0));
    /** A noise model that reads z_t, so inversion's one-step approximation costs something. */
    private static final NoiseModel READS_Z = (xt, t, cond, step) -> xt.mul(0.3 + 0.2 * Math.cos(t[0] / 40.0));

    @Test
    void whenEpsDoesNotDependOnTheLatentSamplingUndoesInversionExactly() {
        NoiseSchedule s = NoiseSchedule.of("linear", T);
        INDArray z0 = new Noise(1).standardNormal(SHAPE);
        for (int steps : new int[] {1, 10, 50}) {
            DdimInversion.Trajectory trajectory = new DdimInversion(s, steps).invert(ONLY_T, Conditioning.NONE, z0, StepCallback.NONE);
            assertEquals(steps + 1, trajectory.latents().size());
            assertSame(z0, trajectory.latents().get(0));
            INDArray back = new DdimSampler(s, steps, 0).sample(ONLY_T, Conditioning.NONE, trajectory.zT(), 0L, StepCallback.NONE);
            double error = back.sub(z0).amaxNumber().doubleValue();
            assertTrue(error < 1e-4, steps + " steps: max |z0 - round trip| = " + error);
        }
    }

    @Test
    void theRoundTripErrorOfAModelThatReadsTheLatentShrinksWithMoreSteps() {
        NoiseSchedule s = NoiseSchedule.of("linear", T);
        INDArray z0 = new Noise(2).standardNormal(SHAPE);
        double previous = Double.POSITIVE_INFINITY;
        for (int steps : new int[] {5, 20, 100}) {
            INDArray zT = new DdimInversion(s, steps).invert(READS_Z, Conditioning.NONE, z0, StepCallback.NONE).zT();
            INDArray back = new DdimSampler(s, steps, 0).sample(READS_Z, Conditioning.NONE, zT, 0L, StepCallback.NONE);
            double error = back.sub(z0).amaxNumber().doubleValue();
            assertTrue(error > 0 && error < previous, steps + " steps: error " + error + " after " + previous);
            previous = error;
        }
    }

    @Test
    void theTrajectoryReadDownwardsIsWhereEachSamplingStepShouldLand() {
        NoiseSchedule s = NoiseSchedule.of("cosine", T);
        INDArray z0 = new Noise(3).standardNormal(SHAPE);
        int steps = 8;
        DdimInversion.Trajectory trajectory = new DdimInversion(s, steps).invert(ONLY_T, Conditioning.NONE, z0, StepCallback.NONE);
        List<INDArray> landed = new ArrayList<>();
        new DdimSampler(s, steps, 0).sample(ONLY_T, Conditioning.NONE, trajectory.zT(), 0L, (i, t, x, x0) -> landed.add(x));
        for (int k = 0; k < steps; k++) {
            double error = landed.get(k).sub(trajectory.afterStep(k)).amaxNumber().doubleValue();
            assertTrue(error < 5e-4, "step " + k + ": " + error); // float32 rounding over the steps
        }
        assertSame(z0, trajectory.afterStep(steps - 1));
    }

    @Test
    void inversionCallsTheModelAtRisingTimestepsNumberedAsTheSamplerNumbersThem() {
        NoiseSchedule s = NoiseSchedule.of("linear", T);
        List<SamplingStep> seen = new ArrayList<>();
        NoiseModel recording = (xt, t, cond, step) -> {
            seen.add(step);
            return xt.mul(0);
        };
        new DdimInversion(s, 5).invert(recording, Conditioning.NONE, new Noise(4).standardNormal(SHAPE), StepCallback.NONE);
        int[] timesteps = s.evenlySpacedTimesteps(5);
        for (int i = 0; i < 5; i++) {
            assertEquals(timesteps[i], seen.get(i).timestep());
            assertEquals(4 - i, seen.get(i).index());
        }
    }

    @Test
    void guidanceTakesTheUnconditionalInputOfEachStep() {
        List<Double> unconditionalSeen = new ArrayList<>();
        NoiseModel model = (xt, t, cond, step) -> {
            unconditionalSeen.add(cond.context().getDouble(0, 0, 0));                   // the first row: unconditional
            return Nd4j.zeros(xt.dataType(), xt.shape());
        };
        INDArray text = Nd4j.ones(1, 3, 2);
        var guided = new ClassifierFreeGuidance(model, step -> new Conditioning(Nd4j.zeros(1, 3, 2).addi(10 + step.index()), null), 3);
        new DdimSampler(NoiseSchedule.of("linear", T), 4, 0).sample(guided, new Conditioning(text, null), new long[] {1, 1, 2, 2}, 0, StepCallback.NONE);
        assertEquals(List.of(10.0, 11.0, 12.0, 13.0), unconditionalSeen);
    }
}
