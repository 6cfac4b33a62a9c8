package org.ldmlab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ldmlab.InvalidInputException;
import org.ldmlab.nn.GradCheck;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FrechetDistanceTest {
    @Test
    void aSetHasDistanceZeroToItself() {
        INDArray f = GradCheck.randn(1, 200, 6);
        assertEquals(0.0, FrechetDistance.between(f, f), 1e-9);
    }

    @Test
    void diagonalGaussiansMatchTheClosedForm() {
        // d^2 = ||mu1 - mu2||^2 + sum (sqrt(a_i) - sqrt(b_i))^2 for diagonal covariances diag(a), diag(b)
        double[] a = {1.0, 4.0, 0.25};
        double[] b = {9.0, 1.0, 0.25};
        INDArray mu1 = Nd4j.createFromArray(0.0, 1.0, 2.0);
        INDArray mu2 = Nd4j.createFromArray(1.0, -1.0, 2.0);
        double expected = 1 + 4 + 0 + Math.pow(1 - 3, 2) + Math.pow(2 - 1, 2) + 0;
        double got = FrechetDistance.between(mu1, Nd4j.diag(Nd4j.createFromArray(a)), mu2, Nd4j.diag(Nd4j.createFromArray(b)));
        assertEquals(expected, got, 1e-9);
    }

    @Test
    void equalCovariancesLeaveOnlyTheMeans() {
        INDArray x = GradCheck.randn(2, 4, 4);
        INDArray s = x.mmul(x.transpose()).addi(Nd4j.eye(4)); // a full, non-diagonal SPD matrix
        INDArray mu1 = GradCheck.randn(3, 4);
        INDArray mu2 = GradCheck.randn(4, 4);
        double means = mu1.sub(mu2).norm2Number().doubleValue();
        assertEquals(means * means, FrechetDistance.between(mu1, s, mu2, s), 1e-8);
    }

    @Test
    void symmetricAndGrowsWithTheShift() {
        INDArray a = GradCheck.randn(5, 300, 5);
        INDArray b = GradCheck.randn(6, 300, 5).muli(1.5).addi(0.5);
        double ab = FrechetDistance.between(a, b);
        assertEquals(ab, FrechetDistance.between(b, a), 1e-8 * Math.max(1, ab));
        assertTrue(FrechetDistance.between(a, b.add(2.0)) > ab);
    }

    @Test
    void mismatchedFeatureSizesAreAClearError() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> FrechetDistance.between(GradCheck.randn(1, 10, 3), GradCheck.randn(2, 10, 4)));
        assertTrue(e.getMessage().contains("3 and 4 columns"), e.getMessage());
    }
}
