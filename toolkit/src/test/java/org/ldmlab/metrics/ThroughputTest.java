package org.ldmlab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.ldmlab.unet.UNetConfig;

class ThroughputTest {
    private static final UNetConfig UNET = UNetConfig.textToImage(64);

    @Test
    void aForwardIsTheAnalyticCountTimesTheBatch() {
        long perImage = FlopCounter.of(UNET, 16).totalMacs();
        assertEquals(32.0 * perImage, Throughput.forward("f", UNET, 16, 32, 10).macs());
    }

    @Test
    void aTrainingStepIsThreeForwards() {
        Throughput forward = Throughput.forward("f", UNET, 16, 32, 10);
        assertEquals(3 * forward.macs(), Throughput.trainingStep("t", UNET, 16, 32, 10).macs());
    }

    @Test
    void ratesAndTheLineAgainstSgemm() {
        Throughput t = new Throughput("unet train step b32, 1 worker", 3e9, 250); // 3 GFLOP in 0.25 s
        assertEquals(12.0, t.gflopsPerSecond(), 1e-12);
        assertEquals("unet train step b32, 1 worker: 3.00 GFLOP in 250.0 ms = 12.0 GFLOP/s, 25% of sgemm's 48.0 GFLOP/s (1 thread, 1024^3)",
                t.against(48.0, "1 thread, 1024^3"));
    }

    @Test
    void sgemmCountsOneMultiplyAddPerTermOfEachProduct() {
        assertEquals(1024.0 * 1024 * 1024, Sgemm.macs(1024));
    }
}
