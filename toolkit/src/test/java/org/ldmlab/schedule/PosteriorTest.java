package org.ldmlab.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Property 2: q(x_{t-1} | x_t, x_0) is the Gaussian conditional of p(x_{t-1} | x_0) p(x_t | x_{t-1}) (Bayes' rule). */
class PosteriorTest {
    @ParameterizedTest
    @EnumSource(ScheduleKind.class)
    void meanAndVarianceMatchBayesRuleForGaussians(ScheduleKind kind) {
        NoiseSchedule s = NoiseSchedule.of(kind, 100);
        Posterior posterior = new Posterior(s);
        int[] t = {1, 2, 30, 64, 99};
        INDArray x0 = ForwardProcessTest.gaussian(3, t.length, 2, 3).castTo(DataType.DOUBLE);  // [B, C, L]
        INDArray xt = ForwardProcessTest.gaussian(4, t.length, 2, 3).castTo(DataType.DOUBLE);
        INDArray mean = posterior.mean(x0, xt, t);
        for (int b = 0; b < t.length; b++) {
            double abarPrev = s.alphaBarPrev(t[b]);
            // p(x_{t-1} | x_0) = N(sqrt(abar_{t-1}) x_0, 1 - abar_{t-1}); p(x_t | x_{t-1}) = N(sqrt(alpha_t) x_{t-1}, beta_t)
            double precision = 1 / (1 - abarPrev) + s.alpha(t[b]) / s.beta(t[b]);
            double variance = 1 / precision;
            assertEquals(variance, posterior.variance(t[b]), 1e-12 * variance, kind + " variance at " + t[b]);
            for (int j = 0; j < 3; j++) {
                double bayes = variance * (Math.sqrt(abarPrev) * x0.getDouble(b, 1, j) / (1 - abarPrev)
                        + Math.sqrt(s.alpha(t[b])) * xt.getDouble(b, 1, j) / s.beta(t[b]));
                assertEquals(bayes, mean.getDouble(b, 1, j), 1e-9, kind + " mean at " + t[b]);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ScheduleKind.class)
    void varianceIsPositiveAndAtMostBetaAfterTheFirstStep(ScheduleKind kind) {
        NoiseSchedule s = NoiseSchedule.of(kind, 100);
        Posterior posterior = new Posterior(s);
        assertEquals(0, posterior.variance(0), 1e-15);
        for (int t = 1; t < s.steps(); t++) {
            assertTrue(posterior.variance(t) > 0 && posterior.variance(t) <= s.beta(t), kind + " at " + t);
            assertEquals(Math.log(posterior.variance(t)), posterior.logVarianceClipped(t), 1e-12);
        }
        assertEquals(Math.log(posterior.variance(1)), posterior.logVarianceClipped(0), 1e-12);
    }

    @Test
    void atTheFirstStepTheMeanIsXZero() {
        NoiseSchedule s = NoiseSchedule.of("linear", 1000);
        Posterior posterior = new Posterior(s);
        assertEquals(1, posterior.meanCoefX0(0), 1e-12);
        assertEquals(0, posterior.meanCoefXt(0), 0);
        INDArray x0 = ForwardProcessTest.gaussian(5, 2, 4).castTo(DataType.DOUBLE);
        INDArray xt = ForwardProcessTest.gaussian(6, 2, 4).castTo(DataType.DOUBLE);
        assertTrue(x0.equalsWithEps(posterior.mean(x0, xt, new int[] {0, 0}), 1e-12));
    }
}
