package org.ldmlab.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ldmlab.InvalidInputException;

class NoiseScheduleTest {
    @Test
    void linearHasDdpmEndsAtThousandSteps() {
        NoiseSchedule s = NoiseSchedule.of("linear", 1000);
        assertEquals(1000, s.steps());
        assertEquals(1e-4, s.beta(0), 1e-15);
        assertEquals(0.02, s.beta(999), 1e-15);
        assertEquals(1e-4 + (0.02 - 1e-4) * 500 / 999, s.beta(500), 1e-15);
    }

    @Test
    void linearEndsScaleByThousandOverT() {
        NoiseSchedule s = NoiseSchedule.of("linear", 50);
        assertEquals(1e-4 * 20, s.beta(0), 1e-15);
        assertEquals(0.02 * 20, s.beta(49), 1e-15);
    }

    @Test
    void scaledLinearIsSquaredLinspaceOfRoots() {
        NoiseSchedule s = NoiseSchedule.of("scaled_linear", 50);
        assertEquals(0.00085, s.beta(0), 1e-15);
        assertEquals(0.012, s.beta(49), 1e-15);
        double first = Math.sqrt(0.00085);
        double last = Math.sqrt(0.012);
        for (int t = 0; t < 50; t++) {
            assertEquals(first + (last - first) * t / 49, Math.sqrt(s.beta(t)), 1e-15, "sqrt(beta) at t = " + t);
        }
    }

    @Test
    void cosineFollowsTheClosedFormAndClipsTheLastBeta() {
        int T = 100;
        NoiseSchedule s = NoiseSchedule.of("cosine", T);
        for (int t = 0; t < T - 1; t++) {
            double f = Math.pow(Math.cos(((t + 1.0) / T + 0.008) / 1.008 * Math.PI / 2), 2);
            double f0 = Math.pow(Math.cos(0.008 / 1.008 * Math.PI / 2), 2);
            assertEquals(f / f0, s.alphaBar(t), 1e-12, "abar at t = " + t);
            assertTrue(s.beta(t) <= 0.999);
        }
        assertEquals(0.999, s.beta(T - 1), 1e-15);
    }

    @ParameterizedTest
    @EnumSource(ScheduleKind.class)
    void alphaBarDecreasesInsideZeroOne(ScheduleKind kind) {
        NoiseSchedule s = NoiseSchedule.of(kind, 200);
        double previous = 1;
        for (int t = 0; t < s.steps(); t++) {
            assertTrue(s.beta(t) > 0 && s.beta(t) <= 0.999, kind + " beta at " + t);
            assertTrue(s.alphaBar(t) > 0 && s.alphaBar(t) < previous, kind + " abar at " + t);
            assertEquals(previous, s.alphaBarPrev(t), 0);
            assertEquals(s.alphaBar(t) / (1 - s.alphaBar(t)), s.snr(t), 1e-12 * s.snr(t));
            assertEquals(s.alphaBar(t), s.sqrtAlphaBar(t) * s.sqrtAlphaBar(t), 1e-15);
            assertEquals(1, s.alphaBar(t) + Math.pow(s.sqrtOneMinusAlphaBar(t), 2), 1e-15);
            previous = s.alphaBar(t);
        }
    }

    @Test
    void evenlySpacedTimestepsRunFromZeroToLast() {
        NoiseSchedule s = NoiseSchedule.of("linear", 1000);
        int[] ten = s.evenlySpacedTimesteps(10);
        assertEquals(10, ten.length);
        assertEquals(0, ten[0]);
        assertEquals(999, ten[9]);
        assertEquals(111, ten[1]);
        assertArrayEquals(new int[] {999}, s.evenlySpacedTimesteps(1));
        int[] all = s.evenlySpacedTimesteps(1000);
        for (int t = 0; t < 1000; t++) {
            assertEquals(t, all[t]);
        }
    }

    @Test
    void respacedScheduleKeepsAlphaBarAtTheChosenTimesteps() {
        NoiseSchedule s = NoiseSchedule.of("cosine", 100);
        int[] sub = s.evenlySpacedTimesteps(7);
        NoiseSchedule r = s.respace(sub);
        assertEquals(7, r.steps());
        for (int i = 0; i < sub.length; i++) {
            assertEquals(s.alphaBar(sub[i]), r.alphaBar(i), 1e-14);
            assertEquals(sub[i], r.timestep(i));
        }
        assertEquals(1 - s.alphaBar(sub[3]) / s.alphaBar(sub[2]), r.beta(3), 1e-15);
        NoiseSchedule twice = r.respace(new int[] {2, 5});
        assertEquals(sub[5], twice.timestep(1));
        assertEquals(s.alphaBar(sub[5]), twice.alphaBar(1), 1e-14);
    }

    @Test
    void respaceRejectsNonIncreasingTimesteps() {
        NoiseSchedule s = NoiseSchedule.of("cosine", 100);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> s.respace(new int[] {5, 5}));
        assertTrue(e.getMessage().contains("must increase"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> s.respace(new int[] {3, 100}));
    }

    @Test
    void unknownKindListsTheValidKinds() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> NoiseSchedule.of("quadratic", 100));
        assertTrue(e.getMessage().contains("quadratic"), e.getMessage());
        assertTrue(e.getMessage().contains("linear, scaled_linear, cosine"), e.getMessage());
    }

    @Test
    void tooFewStepsAreRejected() {
        for (int T : new int[] {1, 0, -5}) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> NoiseSchedule.of("cosine", T));
            assertTrue(e.getMessage().contains("T must be >= 2"), e.getMessage());
        }
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> NoiseSchedule.of("linear", 20));
        assertTrue(e.getMessage().contains("T >= 21"), e.getMessage());
        assertEquals(2, NoiseSchedule.of("scaled_linear", 2).steps());
    }

    @Test
    void samplingStepsOutsideOneToTAreRejected() {
        NoiseSchedule s = NoiseSchedule.of("linear", 100);
        for (int S : new int[] {0, -1, 101}) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> s.evenlySpacedTimesteps(S));
            assertTrue(e.getMessage().contains("1..100") && e.getMessage().contains("got " + S), e.getMessage());
        }
    }

    @Test
    void timestepOutsideTheScheduleIsRejected() {
        NoiseSchedule s = NoiseSchedule.of("linear", 100);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> s.alphaBar(100));
        assertTrue(e.getMessage().contains("0..99"), e.getMessage());
    }
}
