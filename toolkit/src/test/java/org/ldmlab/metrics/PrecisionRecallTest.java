package org.ldmlab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.ldmlab.InvalidInputException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Improved precision and recall on point sets whose manifolds can be drawn by hand. */
class PrecisionRecallTest {
    /** Points (x, 0) for the given x. */
    private static INDArray line(double... xs) {
        double[][] rows = new double[xs.length][];
        for (int i = 0; i < xs.length; i++) {
            rows[i] = new double[] {xs[i], 0};
        }
        return Nd4j.createFromArray(rows);
    }

    @Test
    void aSetAgainstItselfHasPrecisionAndRecallOne() {
        INDArray points = Nd4j.createFromArray(new double[][] {{0, 1}, {3, 2}, {-1, 4}, {2, 2}, {5, -3}, {0, 0}});
        assertEquals(new PrecisionRecall(1, 1), PrecisionRecall.of(points, points, 3));
    }

    @Test
    void farApartSetsHaveNeither() {
        assertEquals(new PrecisionRecall(0, 0), PrecisionRecall.of(line(0, 1, 2, 3, 4), line(100, 101, 102, 103), 1));
    }

    @Test
    void samplesCoveringHalfTheRealSetArePreciseButRecallHalf() {
        // real 0..9, k = 1: each ball has radius 1 and together they cover [-1, 10], so every sample 0..4 is inside.
        // samples 0..4, k = 1: balls of radius 1 cover [-1, 5], which holds the real points 0..5: recall 6/10.
        PrecisionRecall pr = PrecisionRecall.of(line(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), line(0, 1, 2, 3, 4), 1);
        assertEquals(1.0, pr.precision(), 1e-12);
        assertEquals(0.6, pr.recall(), 1e-12);
    }

    @Test
    void theRadiusIsTheDistanceToTheKthNeighbourNotCountingThePointItself() {
        // real 0, 1, 3, 7 with k = 2: radii 3, 2, 3, 6; a sample at 13 is inside only the ball of 7 (6 away), one at 14 in none
        assertEquals(1.0, PrecisionRecall.of(line(0, 1, 3, 7), line(13, 13, 13), 2).precision(), 1e-12);
        assertEquals(0.0, PrecisionRecall.of(line(0, 1, 3, 7), line(14, 14, 14), 2).precision(), 1e-12);
    }

    @Test
    void kMustLeaveANeighbourInEachSet() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PrecisionRecall.of(line(0, 1, 2), line(0, 1, 2), 3));
        assertEquals(true, e.getMessage().contains("N > k"), e.getMessage());
    }
}
