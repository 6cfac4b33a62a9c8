package org.ldmlab.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ldmlab.InvalidInputException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LossWeightingTest {
    private final NoiseSchedule schedule = NoiseSchedule.of(ScheduleKind.SCALED_LINEAR, 1000);
    private final INDArray x = Nd4j.zeros(DataType.FLOAT, 1000, 2, 2, 1);

    @Test
    void uniformWeighsEveryStepOne() {
        INDArray w = LossWeighting.UNIFORM.weights(schedule, allTimesteps(), x);
        assertEquals(1000, w.length());
        assertEquals(1.0, w.minNumber().doubleValue(), 0);
        assertEquals(1.0, w.maxNumber().doubleValue(), 0);
        assertTrue(LossWeighting.UNIFORM.uniform());
    }

    @Test
    void minSnrIsOneWhereNoiseDominatesAndGammaOverSnrWhereLittleIsLeft() {
        LossWeighting minSnr5 = LossWeighting.minSnr(5);
        INDArray w = minSnr5.weights(schedule, allTimesteps(), x); // [1000, 1, 1, 1]
        int crossings = 0;
        for (int t = 0; t < 1000; t++) {
            double snr = schedule.snr(t);
            double expected = snr <= 5 ? 1 : 5 / snr; // Hang et al. 2023: min(SNR, gamma) on the x_0 loss = this on eps
            assertEquals(expected, w.getDouble(t), 1e-6, "t = " + t);
            crossings += t > 0 && (schedule.snr(t - 1) > 5) != (snr > 5) ? 1 : 0;
        }
        assertEquals(1, crossings, "SNR falls through gamma once: the weighting splits the steps in two");
        assertTrue(w.getDouble(0) < 0.01, "the nearly clean first step is down-weighted: " + w.getDouble(0));
        assertEquals(1.0, w.getDouble(999), 0);
        assertEquals("min-SNR-5", minSnr5.toString());
        assertEquals("uniform", LossWeighting.UNIFORM.toString());
    }

    @Test
    void gammaMustBePositive() {
        assertThrows(InvalidInputException.class, () -> LossWeighting.minSnr(0));
        assertThrows(InvalidInputException.class, () -> LossWeighting.minSnr(Double.NaN));
    }

    private static int[] allTimesteps() {
        return java.util.stream.IntStream.range(0, 1000).toArray();
    }
}
