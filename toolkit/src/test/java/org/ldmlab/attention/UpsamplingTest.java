package org.ldmlab.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class UpsamplingTest {
    @Test
    void everyMethodKeepsAConstantMapAndItsWeightsSumToOne() {
        INDArray flat = Nd4j.ones(DataType.FLOAT, 2, 4, 4).muli(0.3);
        for (Upsampling u : Upsampling.values()) {
            INDArray up = u.apply(flat, 32);
            assertEquals(0.3, up.minNumber().doubleValue(), 1e-5, u.word());
            assertEquals(0.3, up.maxNumber().doubleValue(), 1e-5, u.word());
            INDArray rowSums = u.weights(4, 32, DataType.DOUBLE).sum(1);
            assertEquals(32.0, rowSums.sumNumber().doubleValue(), 1e-9, u.word());
        }
    }

    @Test
    void nearestMakesBlocksAndBilinearFollowsARampBetweenCellCentres() {
        INDArray ramp = Nd4j.createFromArray(new float[] {0, 1, 2, 3}).reshape(1, 1, 4).repeat(1, 4); // [1, 4, 4], value = x
        INDArray nearest = Upsampling.NEAREST.apply(ramp, 8);
        assertEquals(1.0, nearest.getDouble(0, 5, 2), 0);
        assertEquals(1.0, nearest.getDouble(0, 0, 3), 0);
        INDArray bilinear = Upsampling.BILINEAR.apply(ramp, 8);
        // output x = 3 has its centre at source 1.25 (half-pixel centres): value 1.25; edges held at 0 and 3
        assertEquals(1.25, bilinear.getDouble(0, 0, 3), 1e-6);
        assertEquals(0.0, bilinear.getDouble(0, 7, 0), 1e-6);
        assertEquals(3.0, bilinear.getDouble(0, 7, 7), 1e-6);
    }

    @Test
    void bicubicIsClampedAtZero() {
        INDArray spike = Nd4j.zeros(DataType.FLOAT, 1, 4, 4);
        spike.putScalar(0, 1, 1, 1.0);
        INDArray up = Upsampling.BICUBIC.apply(spike, 32);
        assertTrue(up.minNumber().doubleValue() >= 0, "the cubic kernel's negative lobes are clamped");
        assertTrue(up.maxNumber().doubleValue() > 0.5);
    }
}
