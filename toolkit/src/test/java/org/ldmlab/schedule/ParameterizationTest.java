package org.ldmlab.schedule;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Property 3: eps, x_0, v and mu are interchangeable descriptions of the same x_t. */
class ParameterizationTest {
    private static final int[] T = {0, 10, 50, 90};
    private final INDArray x0 = ForwardProcessTest.gaussian(11, 4, 2, 3, 3);   // [B, C, H, W]
    private final INDArray eps = ForwardProcessTest.gaussian(12, 4, 2, 3, 3);

    @ParameterizedTest
    @EnumSource(ScheduleKind.class)
    void muFromEpsIsThePosteriorMeanAtThePredictedXZero(ScheduleKind kind) {
        NoiseSchedule s = NoiseSchedule.of(kind, 100);
        INDArray xt = new ForwardProcess(s).sample(x0, T, eps).xt();
        INDArray mu = Parameterization.muFromEps(s, xt, T, eps);
        INDArray posteriorMean = new Posterior(s).mean(Parameterization.x0FromEps(s, xt, T, eps), xt, T);
        assertClose(posteriorMean, mu, 1e-4, kind + " mu");
        assertClose(new Posterior(s).mean(x0, xt, T), mu, 1e-4, kind + " mu vs true x0");
    }

    @ParameterizedTest
    @EnumSource(ScheduleKind.class)
    void epsXZeroAndVRoundTrip(ScheduleKind kind) {
        NoiseSchedule s = NoiseSchedule.of(kind, 100);
        int[] t = {0, 10, 50, 80}; // abar_99 of cosine is ~1e-5: x0 from eps divides by sqrt(abar) and loses float precision
        INDArray xt = new ForwardProcess(s).sample(x0, t, eps).xt();
        assertClose(x0, Parameterization.x0FromEps(s, xt, t, eps), 2e-4, kind + " x0 from eps");
        assertClose(eps, Parameterization.epsFromX0(s, xt, t, x0), 2e-4, kind + " eps from x0");
        INDArray v = Parameterization.v(s, x0, t, eps);
        assertClose(x0, Parameterization.x0FromV(s, xt, t, v), 1e-5, kind + " x0 from v");
        assertClose(eps, Parameterization.epsFromV(s, xt, t, v), 1e-5, kind + " eps from v");
    }

    @Test
    void predictionConvertsEachOutputKind() {
        NoiseSchedule s = NoiseSchedule.of("cosine", 100);
        INDArray xt = new ForwardProcess(s).sample(x0, T, eps).xt();
        INDArray v = Parameterization.v(s, x0, T, eps);
        assertClose(eps, Prediction.EPS.toEps(s, xt, T, eps), 0, "EPS");
        assertClose(eps, Prediction.X0.toEps(s, xt, T, x0), 1e-3, "X0 to eps");
        assertClose(eps, Prediction.V.toEps(s, xt, T, v), 1e-5, "V to eps");
        assertClose(x0, Prediction.EPS.toX0(s, xt, T, eps), 1e-3, "EPS to x0");
        assertClose(x0, Prediction.X0.toX0(s, xt, T, x0), 0, "X0");
        assertClose(x0, Prediction.V.toX0(s, xt, T, v), 1e-5, "V to x0");
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        double error = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(error <= tolerance, what + ": max |error| " + error + " > " + tolerance);
    }
}
