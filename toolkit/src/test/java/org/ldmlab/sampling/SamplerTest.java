package org.ldmlab.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ldmlab.InvalidInputException;
import org.ldmlab.sampling.DdpmSampler.Variance;
import org.ldmlab.schedule.Noise;
import org.ldmlab.schedule.NoiseSchedule;
import org.ldmlab.schedule.Parameterization;
import org.ldmlab.schedule.PerSample;
import org.ldmlab.schedule.Posterior;
import org.ldmlab.schedule.ScheduleKind;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

class SamplerTest {
    private static final int T = 100;
    private static final long[] SHAPE = {2, 1, 4, 4}; // [B, C, H, W]
    private static final NoiseModel HALF = (xt, t, cond, step) -> xt.mul(0.5); // a toy model that is not the oracle

    /** The best possible model for a single data point x0: eps = (x_t - sqrt(abar_t) x0) / sqrt(1 - abar_t). */
    private static NoiseModel oracle(NoiseSchedule s, INDArray x0) {
        return (xt, t, cond, step) -> Parameterization.epsFromX0(s, xt, t, x0);
    }

    static INDArray gaussian(long seed, long... shape) {
        return new Noise(seed).standardNormal(shape);
    }

    @ParameterizedTest
    @EnumSource(ScheduleKind.class)
    void withTheOracleEverySamplerEndsAtXZero(ScheduleKind kind) {
        NoiseSchedule s = NoiseSchedule.of(kind, T);
        INDArray x0 = gaussian(1, SHAPE);
        Map<String, Sampler> samplers = Map.of(
                "ddim eta 0, all steps", new DdimSampler(s, T, 0),
                "ddim eta 0, 10 steps", new DdimSampler(s, 10, 0),
                "ddim eta 1, 10 steps", new DdimSampler(s, 10, 1),
                "ddpm posterior, all steps", new DdpmSampler(s, Variance.POSTERIOR),
                "ddpm beta, all steps", new DdpmSampler(s, Variance.BETA),
                "ddpm posterior, 10 steps", new DdpmSampler(s, 10, Variance.POSTERIOR),
                "ddpm beta, 10 steps", new DdpmSampler(s, 10, Variance.BETA));
        samplers.forEach((name, sampler) -> {
            INDArray result = sampler.sample(oracle(s, x0), Conditioning.NONE, SHAPE, 5, StepCallback.NONE);
            assertClose(x0, result, 1e-4, kind + " " + name);
        });
    }

    @Test
    void ddimWithEtaZeroIsDeterministicWhateverTheSeed() {
        DdimSampler ddim = new DdimSampler(NoiseSchedule.of("cosine", T), 20, 0);
        INDArray xT = gaussian(2, SHAPE);
        INDArray first = ddim.sample(HALF, Conditioning.NONE, xT, 1L, StepCallback.NONE);
        assertEquals(first, ddim.sample(HALF, Conditioning.NONE, xT, 1L, StepCallback.NONE));
        assertEquals(first, ddim.sample(HALF, Conditioning.NONE, xT, 999L, StepCallback.NONE));
    }

    @Test
    void stochasticSamplersRepeatWithTheSameSeedAndDifferWithAnother() {
        NoiseSchedule s = NoiseSchedule.of("linear", T);
        for (Sampler sampler : List.of(new DdpmSampler(s, 20, Variance.BETA), new DdimSampler(s, 20, 0.5))) {
            INDArray a = sampler.sample(HALF, Conditioning.NONE, SHAPE, 7, StepCallback.NONE);
            assertEquals(a, sampler.sample(HALF, Conditioning.NONE, SHAPE, 7, StepCallback.NONE));
            assertNotEquals(a, sampler.sample(HALF, Conditioning.NONE, SHAPE, 8, StepCallback.NONE));
            INDArray xT = gaussian(3, SHAPE); // a fixed x_T: the seed still changes the per-step noise
            assertNotEquals(sampler.sample(HALF, Conditioning.NONE, xT, 7L, StepCallback.NONE),
                    sampler.sample(HALF, Conditioning.NONE, xT, 8L, StepCallback.NONE));
        }
    }

    @Test
    void ddimWithEtaOneTakesTheSameStepsAsDdpmWithThePosteriorVariance() {
        NoiseSchedule s = NoiseSchedule.of("scaled_linear", T);
        NoiseModel model = oracle(s, gaussian(4, SHAPE));
        List<INDArray> ddim = new ArrayList<>();
        List<INDArray> ddpm = new ArrayList<>();
        new DdimSampler(s, 25, 1).sample(model, Conditioning.NONE, SHAPE, 11, (i, t, x, x0) -> ddim.add(x));
        new DdpmSampler(s, 25, Variance.POSTERIOR).sample(model, Conditioning.NONE, SHAPE, 11, (i, t, x, x0) -> ddpm.add(x));
        assertEquals(25, ddim.size());
        for (int i = 0; i < ddim.size(); i++) {
            assertClose(ddpm.get(i), ddim.get(i), 1e-4, "step " + i);
        }
    }

    /** The ancestral step adds sigma_t z (not sigma_t^2 z): x_prev - mu_theta has variance sigma_t^2. */
    @ParameterizedTest
    @EnumSource(Variance.class)
    void ddpmStepNoiseHasTheChosenVariance(Variance variance) {
        NoiseSchedule s = NoiseSchedule.of("scaled_linear", T);
        NoiseSchedule respaced = s.respace(s.evenlySpacedTimesteps(10)); // the first step has beta ~ 0.12, far from 1
        int n = 20_000;
        INDArray xT = gaussian(8, n);                                    // [N]: any rank >= 1 works
        List<INDArray> afterFirstStep = new ArrayList<>();
        new DdpmSampler(s, 10, variance).sample(HALF, Conditioning.NONE, xT, 9L, (i, t, x, x0) -> afterFirstStep.add(x));
        int[] first = PerSample.timesteps(n, 9);
        INDArray mu = Parameterization.muFromEps(respaced, xT, first, xT.mul(0.5));
        double expected = variance == Variance.BETA ? respaced.beta(9) : new Posterior(respaced).variance(9);
        double measured = afterFirstStep.get(0).sub(mu).castTo(DataType.DOUBLE).varNumber().doubleValue();
        assertEquals(expected, measured, 5 * expected * Math.sqrt(2.0 / (n - 1)), variance + " variance");
    }

    @Test
    void callbackSeesEveryStepOnceWithDecreasingTimesteps() {
        NoiseSchedule s = NoiseSchedule.of("linear", T);
        for (Sampler sampler : List.of(new DdimSampler(s, 10, 0), new DdpmSampler(s, 10, Variance.POSTERIOR))) {
            List<int[]> calls = new ArrayList<>();
            List<INDArray> samples = new ArrayList<>();
            INDArray result = sampler.sample(HALF, Conditioning.NONE, SHAPE, 3, (step, t, x, x0Hat) -> {
                calls.add(new int[] {step, t});
                samples.add(x);
                assertArrayEquals(SHAPE, x0Hat.shape());
            });
            assertEquals(10, calls.size());
            assertArrayEquals(new int[] {0, T - 1}, calls.get(0));
            assertArrayEquals(new int[] {9, 0}, calls.get(9));
            for (int i = 1; i < calls.size(); i++) {
                assertEquals(i, calls.get(i)[0]);
                assertTrue(calls.get(i)[1] < calls.get(i - 1)[1], "t must decrease");
            }
            assertEquals(result, samples.get(9));
        }
    }

    @Test
    void modelSeesTheOriginalTimesteps() {
        NoiseSchedule s = NoiseSchedule.of("linear", T);
        List<Integer> seen = new ArrayList<>();
        NoiseModel recording = (xt, t, cond, step) -> {
            assertEquals(t[0], step.timestep());
            assertEquals(seen.size(), step.index());
            assertEquals(4, step.count());
            seen.add(t[0]);
            assertEquals(t[0], t[1]);
            return xt.mul(0.5);
        };
        new DdpmSampler(s, 4, Variance.BETA).sample(recording, Conditioning.NONE, SHAPE, 1, StepCallback.NONE);
        assertEquals(List.of(99, 66, 33, 0), seen);
    }

    @Test
    void ddimClippingBoundsThePredictedXZero() {
        NoiseSchedule s = NoiseSchedule.of("cosine", T);
        INDArray x0 = gaussian(6, SHAPE).mul(3);                      // well outside [-1, 1]
        INDArray clipped = new DdimSampler(s, 10, 0, true).sample(oracle(s, x0), Conditioning.NONE, SHAPE, 1, StepCallback.NONE);
        assertClose(Transforms.min(Transforms.max(x0, -1.0), 1.0), clipped, 1e-4, "clipped");
        INDArray unclipped = new DdimSampler(s, 10, 0).sample(oracle(s, x0), Conditioning.NONE, SHAPE, 1, StepCallback.NONE);
        assertClose(x0, unclipped, 1e-4, "unclipped by default");
    }

    @Test
    void badSamplerSettingsAreRejectedWithTheValidRange() {
        NoiseSchedule s = NoiseSchedule.of("linear", T);
        for (double eta : new double[] {-0.1, Double.NaN, 1.01, 1e308}) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> new DdimSampler(s, 10, eta));
            assertTrue(e.getMessage().contains("eta must be a number >= 0 and <= 1"), e.getMessage());
        }
        for (int steps : new int[] {0, 101}) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> new DdimSampler(s, steps, 0));
            assertTrue(e.getMessage().contains("must be in 1..100"), e.getMessage());
            e = assertThrows(InvalidInputException.class, () -> new DdpmSampler(s, steps, Variance.BETA));
            assertTrue(e.getMessage().contains("must be in 1..100"), e.getMessage());
        }
        assertThrows(InvalidInputException.class,
                () -> new DdimSampler(s, 10, 0).sample(HALF, Conditioning.NONE, new long[] {0, 1}, 1, StepCallback.NONE));
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double error = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(error <= tolerance, what + ": max |error| " + error + " > " + tolerance);
    }
}
