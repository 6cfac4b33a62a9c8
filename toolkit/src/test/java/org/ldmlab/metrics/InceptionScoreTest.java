package org.ldmlab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The IS-like score on label distributions whose score is known in closed form. */
class InceptionScoreTest {
    private static INDArray oneHot(int classes, int... labels) {
        double[][] rows = new double[labels.length][classes];
        for (int i = 0; i < labels.length; i++) {
            rows[i][labels[i]] = 1;
        }
        return Nd4j.createFromArray(rows);
    }

    @Test
    void confidentReadingsSpreadEvenlyOverKLabelsScoreK() {
        assertEquals(4.0, InceptionScore.of(List.of(oneHot(4, 0, 1, 2, 3, 0, 1, 2, 3))), 1e-9);
    }

    @Test
    void identicalReadingsScoreOneHoweverConfident() {
        assertEquals(1.0, InceptionScore.of(List.of(oneHot(4, 2, 2, 2))), 1e-9);
        INDArray unsure = Nd4j.createFromArray(new double[][] {{0.25, 0.25, 0.5}, {0.25, 0.25, 0.5}});
        assertEquals(1.0, InceptionScore.of(List.of(unsure)), 1e-9);
    }

    @Test
    void theLabelIsTheHeadsJointSoCorrelatedHeadsCountOnce() {
        // heads of 2 and 3 classes; all 6 combinations equally often: 6 labels
        INDArray a = oneHot(2, 0, 0, 0, 1, 1, 1);
        INDArray b = oneHot(3, 0, 1, 2, 0, 1, 2);
        assertEquals(6.0, InceptionScore.of(List.of(a, b)), 1e-9);
        // the second head repeats the first: only the combinations (0, 0) and (1, 1) occur: 2 labels, not 2 x 2
        assertEquals(2.0, InceptionScore.of(List.of(oneHot(2, 0, 1, 0, 1), oneHot(2, 0, 1, 0, 1))), 1e-9);
    }

    @Test
    void softReadingsMatchTheFormulaByHand() {
        // p(y|x1) = (0.9, 0.1), p(y|x2) = (0.2, 0.8): p(y) = (0.55, 0.45)
        INDArray p = Nd4j.createFromArray(new double[][] {{0.9, 0.1}, {0.2, 0.8}});
        double kl1 = 0.9 * Math.log(0.9 / 0.55) + 0.1 * Math.log(0.1 / 0.45);
        double kl2 = 0.2 * Math.log(0.2 / 0.55) + 0.8 * Math.log(0.8 / 0.45);
        assertEquals(Math.exp((kl1 + kl2) / 2), InceptionScore.of(List.of(p)), 1e-12);
    }
}
