package org.ldmlab.metrics;

import java.util.List;
import org.ldmlab.InvalidInputException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An Inception-Score-like number (Salimans et al. 2016): IS = exp(E_x KL(p(y|x) || p(y))), p(y) = E_x p(y|x),
 * with the attribute classifier in place of Inception. The label y is the look of the first (top or left)
 * object, (shape, colour, size, position): 3 x 4 x 2 x 5 = 120 classes; p(y|x) is the product of the four
 * heads' softmaxes, which read the same features side by side. IS is high when each image is read confidently
 * (low entropy of p(y|x)) and the set spreads over many labels (high entropy of p(y)); it lies in [1, 120].
 *
 * <p>Caveats, besides the known ones of IS (Barratt and Sharma 2018): it never looks at real images, so a model
 * that draws crisp shapes of the wrong caption scores as well as a faithful one; it rewards a confident classifier
 * as much as a good image; its ceiling is the number of labels and it is reached by a set that covers them
 * evenly, so it depends on the captions asked for (compare it only across runs with the same prompts); it
 * ignores the second object of a pair. Not comparable with an Inception-based IS.
 */
public final class InceptionScore {
    private InceptionScore() {}

    /** IS from the heads' probabilities, one [N, K_h] array per head (rows sum to 1), the label being all heads' classes together. */
    public static double of(List<INDArray> heads) {
        double[][] joint = joint(heads); // [N, prod K_h]: p(y|x)
        int n = joint.length;
        double[] marginal = new double[joint[0].length]; // p(y) = E_x p(y|x)
        for (double[] p : joint) {
            for (int y = 0; y < p.length; y++) {
                marginal[y] += p[y] / n;
            }
        }
        double meanKl = 0;
        for (double[] p : joint) {
            for (int y = 0; y < p.length; y++) {
                meanKl += p[y] > 0 ? p[y] * Math.log(p[y] / marginal[y]) / n : 0; // KL(p(y|x) || p(y))
            }
        }
        return Math.exp(meanKl);
    }

    /** The outer product of every row's head distributions, flattened: [N, K_1 * K_2 * ...]. */
    private static double[][] joint(List<INDArray> heads) {
        if (heads.isEmpty() || heads.stream().anyMatch(h -> h.rank() != 2 || h.rows() != heads.get(0).rows() || h.rows() == 0)) {
            throw new InvalidInputException("IS needs one [N, K] array of probabilities per head, all with the same N >= 1");
        }
        double[][] joint = heads.get(0).castTo(DataType.DOUBLE).toDoubleMatrix();
        for (INDArray head : heads.subList(1, heads.size())) {
            double[][] p = head.castTo(DataType.DOUBLE).toDoubleMatrix();
            for (int i = 0; i < joint.length; i++) {
                double[] product = new double[joint[i].length * p[i].length];
                for (int a = 0; a < joint[i].length; a++) {
                    for (int b = 0; b < p[i].length; b++) {
                        product[a * p[i].length + b] = joint[i][a] * p[i][b];
                    }
                }
                joint[i] = product;
            }
        }
        return joint;
    }
}
