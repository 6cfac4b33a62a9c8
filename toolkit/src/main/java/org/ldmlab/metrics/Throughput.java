package org.ldmlab.metrics;

import org.ldmlab.nn.DenoiserConfig;

/**
 * The arithmetic rate a timed piece of network work achieves: its multiply-adds, counted analytically by
 * {@link FlopCounter}, over its time. The convention is FlopCounter's (the DiT paper's): one multiply-add = one flop,
 * norms and element-wise work not counted. A training step counts as {@value #TRAINING_PASSES} forward passes: the
 * forward, and a backward that multiplies every product twice more, once for the gradient of its input and once for
 * that of its weights (the usual estimate; the first layer's input gradient, not needed, is counted all the same).
 *
 * @param what      what was timed, e.g. "unet train step b32, 1 worker"
 * @param macs      its multiply-adds
 * @param ms        its time
 */
public record Throughput(String what, double macs, double ms) {
    /** Forward + backward = 3 forwards. */
    public static final int TRAINING_PASSES = 3;

    /** One forward pass of {@code config} at {@code batch}, reading captions of {@code contextTokens} tokens. */
    public static Throughput forward(String what, DenoiserConfig config, int contextTokens, int batch, double ms) {
        return new Throughput(what, (double) FlopCounter.of(config, contextTokens).totalMacs() * batch, ms);
    }

    /** One training step (forward, backward; the optimiser's element-wise update not counted) at {@code batch}. */
    public static Throughput trainingStep(String what, DenoiserConfig config, int contextTokens, int batch, double ms) {
        return new Throughput(what, TRAINING_PASSES * forward(what, config, contextTokens, batch, ms).macs(), ms);
    }

    public double gflopsPerSecond() {
        return macs / 1e9 / (ms / 1000);
    }

    /** "what: 1.23 GFLOP in 45.6 ms = 27.0 GFLOP/s, 45% of sgemm's 60.0 GFLOP/s (1 thread)". */
    public String against(double sgemmGflops, String sgemmThreads) {
        return String.format("%s: %.2f GFLOP in %.1f ms = %.1f GFLOP/s, %.0f%% of sgemm's %.1f GFLOP/s (%s)", what, macs / 1e9, ms,
                gflopsPerSecond(), 100 * gflopsPerSecond() / sgemmGflops, sgemmGflops, sgemmThreads);
    }
}
