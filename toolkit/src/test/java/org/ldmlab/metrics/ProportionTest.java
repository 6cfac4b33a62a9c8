package org.ldmlab.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProportionTest {
    @Test
    void theWilsonIntervalMatchesAWorkedExample() {
        // 186 of 200: centre (0.93 + z^2/400) / (1 + z^2/200), half-width z sqrt(0.93 * 0.07 / 200 + z^2/160000) / (1 + z^2/200)
        assertArrayEquals(new double[] {0.88595, 0.95785}, new Proportion(186, 200).interval95(), 1e-5);
    }

    @Test
    void nothingCountedIsNoSamplesNotNaN() {
        assertEquals("no samples", new Proportion(0, 0).toString());
        assertEquals(" 93.0% [ 88.6,  95.8] (186/200)", new Proportion(186, 200).toString());
    }

    @Test
    void theIntervalStaysInsideZeroAndOne() {
        double[] all = new Proportion(400, 400).interval95();
        assertEquals(1.0, all[1], 0.0, "not 1.0000000000000002");
        assertEquals(0.99049, all[0], 1e-5);
        double[] none = new Proportion(0, 400).interval95();
        assertEquals(0.0, none[0], 0.0);
        assertEquals(1 - 0.99049, none[1], 1e-5);
    }
}
