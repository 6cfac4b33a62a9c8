package org.ldmlab.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.ldmlab.InvalidInputException;
import org.nd4j.linalg.api.ndarray.INDArray;

class NoiseTest {
    @Test
    void theSameSeedGivesTheSameNoiseEveryTime() {
        // ND4J's own seeded generators failed exactly this: the reason Noise exists
        for (int i = 0; i < 3; i++) {
            assertEquals(new Noise(7).standardNormal(2, 3, 32, 32), new Noise(7).standardNormal(2, 3, 32, 32));
        }
        assertNotEquals(new Noise(7).standardNormal(4, 4), new Noise(8).standardNormal(4, 4));
    }

    @Test
    void drawsAreStandardNormal() {
        INDArray z = new Noise(1).standardNormal(200_000);
        double n = z.length();
        assertEquals(0.0, z.meanNumber().doubleValue(), 5 / Math.sqrt(n));      // 5 standard errors
        assertEquals(1.0, z.varNumber().doubleValue(), 5 * Math.sqrt(2 / n));   // var of s^2 is 2/n for N(0,1)
        double fourth = z.mul(z).muli(z).muli(z).meanNumber().doubleValue();    // E z^4 = 3
        assertEquals(3.0, fourth, 0.1);
    }

    @Test
    void badShapesAreRejected() {
        assertThrows(InvalidInputException.class, () -> new Noise(0).standardNormal(2, 0));
    }
}
