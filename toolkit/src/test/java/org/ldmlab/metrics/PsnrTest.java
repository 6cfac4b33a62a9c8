package org.ldmlab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class PsnrTest {
    @Test
    void withinAMaskCountsOnlyItsPixels() {
        INDArray reference = Nd4j.zeros(3, 4, 4);
        INDArray image = reference.dup();
        image.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2), NDArrayIndex.all()).assign(0.2); // top half off by 0.2
        INDArray top = Nd4j.zeros(4, 4);
        top.get(NDArrayIndex.interval(0, 2), NDArrayIndex.all()).assign(1);
        assertEquals(10 * Math.log10(4 / 0.04), Psnr.within(reference, image, top), 1e-4);
        assertEquals(Double.POSITIVE_INFINITY, Psnr.within(reference, image, top.rsub(1)));
        assertEquals(Psnr.of(reference, image), Psnr.within(reference, image, Nd4j.ones(4, 4)), 1e-4);
        assertTrue(Double.isNaN(Psnr.within(reference, image, Nd4j.zeros(4, 4))));
    }
}
