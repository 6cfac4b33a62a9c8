package org.ldmlab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ldmlab.schedule.Noise;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SsimTest {
    @Test
    void anImageIsPerfectlySimilarToItself() {
        INDArray x = new Noise(1).standardNormal(3, 32, 32).muli(0.3);
        assertEquals(1.0, Ssim.of(x, x), 1e-9);
    }

    @Test
    void flatImagesKeepOnlyTheLuminanceTerm() {
        // sigma = 0 everywhere: SSIM = (2 a b + C1) / (a^2 + b^2 + C1), with C1 = (0.01 * 2)^2
        double a = 0.2;
        double b = -0.4;
        double c1 = 0.0004;
        double expected = (2 * a * b + c1) / (a * a + b * b + c1);
        assertEquals(expected, Ssim.of(Nd4j.zeros(3, 16, 16).addi(a), Nd4j.zeros(3, 16, 16).addi(b)), 1e-9);
    }

    @Test
    void moreNoiseIsLessSimilar() {
        INDArray x = new Noise(2).standardNormal(3, 32, 32).muli(0.3);
        INDArray noise = new Noise(3).standardNormal(3, 32, 32);
        double little = Ssim.of(x, x.add(noise.mul(0.05)));
        double more = Ssim.of(x, x.add(noise.mul(0.3)));
        assertTrue(1 > little && little > more, little + " then " + more);
    }

    @Test
    void imagesSmallerThanTheWindowOrOfOtherShapesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Ssim.of(Nd4j.zeros(3, 8, 8), Nd4j.zeros(3, 8, 8)));
        assertThrows(IllegalArgumentException.class, () -> Ssim.of(Nd4j.zeros(3, 16, 16), Nd4j.zeros(3, 16, 17)));
    }
}
