package org.ldmlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ldmlab.InvalidInputException;
import org.ldmlab.train.LearningRateSchedule.Decay;

class LearningRateScheduleTest {
    @Test
    void constantWithoutWarmUpIsThePeakAtEveryStep() {
        LearningRateSchedule lr = new LearningRateSchedule(5e-4, 0, Decay.CONSTANT, 100);
        for (long step = 1; step <= 100; step++) {
            assertEquals(5e-4, lr.applyAsDouble(step), 0);
        }
        assertEquals("5.0E-4", lr.toString(), "a constant rate is recorded as the bare number older checkpoints hold");
    }

    @Test
    void warmUpRisesLinearlyToThePeak() {
        LearningRateSchedule lr = new LearningRateSchedule(1e-3, 10, Decay.CONSTANT, 100);
        assertEquals(1e-4, lr.applyAsDouble(1), 1e-15);
        assertEquals(5e-4, lr.applyAsDouble(5), 1e-15);
        assertEquals(1e-3, lr.applyAsDouble(10), 1e-15);
        assertEquals(1e-3, lr.applyAsDouble(11), 0);
        assertEquals(1e-3, lr.applyAsDouble(100), 0);
    }

    @Test
    void cosineFallsFromThePeakAfterTheWarmUpToNearZeroAtTheLastStep() {
        LearningRateSchedule lr = new LearningRateSchedule(1e-3, 10, Decay.COSINE, 110);
        assertEquals(1e-3, lr.applyAsDouble(11), 1e-15);
        assertEquals(5e-4, lr.applyAsDouble(61), 1e-15); // half way through the 100 decay steps
        double last = lr.applyAsDouble(110);
        assertTrue(last > 0 && last < 1e-6, "last step " + last);
        for (long step = 12; step <= 110; step++) {
            assertTrue(lr.applyAsDouble(step) < lr.applyAsDouble(step - 1), "decreasing at " + step);
        }
        assertEquals("0.001, warm-up 10, cosine to 110", lr.toString());
    }

    @Test
    void refusesAWarmUpAsLongAsTheRunAndANonPositiveRate() {
        assertThrows(InvalidInputException.class, () -> new LearningRateSchedule(1e-3, 100, Decay.CONSTANT, 100));
        assertThrows(InvalidInputException.class, () -> new LearningRateSchedule(1e-3, -1, Decay.CONSTANT, 100));
        assertThrows(InvalidInputException.class, () -> new LearningRateSchedule(0, 0, Decay.COSINE, 100));
        assertThrows(InvalidInputException.class, () -> Decay.parse("linear"));
        assertEquals(Decay.COSINE, Decay.parse("cosine"));
    }
}
