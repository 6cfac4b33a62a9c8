package org.ldmlab.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ldmlab.InvalidInputException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ForwardProcessTest {
    private static final int T = 100;
    private static final int N = 20_000; // independent scalar chains, held as one sample [1, N]
    private static final double X0 = 0.8;

    /** Property 1: t + 1 one-step transitions (DDPM eq. 2) give the closed-form marginal (DDPM eq. 4). */
    @ParameterizedTest
    @EnumSource(ScheduleKind.class)
    void iteratedStepsMatchTheClosedForm(ScheduleKind kind) throws Exception {
        NoiseSchedule s = NoiseSchedule.of(kind, T);
        ForwardProcess q = new ForwardProcess(s);
        Set<Integer> checked = Set.of(0, 9, 49, T - 1);
        INDArray x = Nd4j.valueArrayOf(new long[] {1, N}, X0, DataType.FLOAT); // [1, N]
        Noise noise = new Noise(1234);
        for (int t = 0; t < T; t++) {
            x = q.step(x, new int[] {t}, noise).xt();
            if (checked.contains(t)) {
                assertMoments(x, s.sqrtAlphaBar(t) * X0, 1 - s.alphaBar(t), kind + " after steps 0.." + t);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ScheduleKind.class)
    void closedFormSamplesHaveTheClosedFormMoments(ScheduleKind kind) {
        NoiseSchedule s = NoiseSchedule.of(kind, T);
        INDArray x0 = Nd4j.valueArrayOf(new long[] {1, N}, X0, DataType.FLOAT);  // [1, N]
        for (int t : new int[] {0, 49, T - 1}) {
            INDArray xt = new ForwardProcess(s).sample(x0, new int[] {t}, 99L + t).xt();
            assertMoments(xt, s.sqrtAlphaBar(t) * X0, 1 - s.alphaBar(t), kind + " closed form at " + t);
        }
    }

    /** Sample mean and variance within 5 standard errors of the Gaussian's (SE of the variance: var sqrt(2/(N-1))). */
    private static void assertMoments(INDArray x, double mean, double variance, String what) {
        INDArray d = x.castTo(DataType.DOUBLE);
        double sampleMean = d.meanNumber().doubleValue();
        double sampleVariance = d.varNumber().doubleValue();
        assertEquals(mean, sampleMean, 5 * Math.sqrt(variance / N), what + ": mean");
        assertEquals(variance, sampleVariance, 5 * variance * Math.sqrt(2.0 / (N - 1)), what + ": variance");
    }

    @Test
    void explicitNoiseGivesTheFormulaPerSample() {
        NoiseSchedule s = NoiseSchedule.of("cosine", T);
        INDArray x0 = gaussian(1, 2, 3, 4, 4);                                  // [B, C, H, W]
        INDArray eps = gaussian(2, 2, 3, 4, 4);
        int[] t = {5, 80};
        ForwardProcess.Noised n = new ForwardProcess(s).sample(x0, t, eps);
        for (int b = 0; b < 2; b++) {
            double expected = s.sqrtAlphaBar(t[b]) * x0.getDouble(b, 1, 2, 3) + s.sqrtOneMinusAlphaBar(t[b]) * eps.getDouble(b, 1, 2, 3);
            assertEquals(expected, n.xt().getDouble(b, 1, 2, 3), 1e-6);
        }
        assertEquals(eps, n.eps());
        ForwardProcess.Noised one = new ForwardProcess(s).step(x0, t, eps);
        double expected = Math.sqrt(s.alpha(80)) * x0.getDouble(1, 0, 0, 0) + Math.sqrt(s.beta(80)) * eps.getDouble(1, 0, 0, 0);
        assertEquals(expected, one.xt().getDouble(1, 0, 0, 0), 1e-6);
    }

    @Test
    void seedFixesTheNoise() {
        ForwardProcess q = new ForwardProcess(NoiseSchedule.of("linear", T));
        INDArray x0 = Nd4j.zeros(DataType.FLOAT, 2, 1, 3, 3);
        int[] t = {10, 20};
        assertEquals(q.sample(x0, t, 7L).xt(), q.sample(x0, t, 7L).xt());
        assertNotEquals(q.sample(x0, t, 7L).xt(), q.sample(x0, t, 8L).xt());
    }

    @Test
    void mismatchedNoiseOrTimestepsAreRejected() {
        ForwardProcess q = new ForwardProcess(NoiseSchedule.of("linear", T));
        INDArray x0 = Nd4j.zeros(DataType.FLOAT, 2, 1, 3, 3);
        assertThrows(InvalidInputException.class, () -> q.sample(x0, new int[] {1, 2}, Nd4j.zeros(DataType.FLOAT, 2, 1, 3, 4)));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> q.sample(x0, new int[] {1}, 3L));
        assertEquals("need one timestep per sample: got 1 timesteps for a tensor of shape [2, 1, 3, 3]", e.getMessage());
    }

    static INDArray gaussian(long seed, long... shape) {
        return new Noise(seed).standardNormal(shape);
    }
}
