package org.ldmlab.metrics;

import org.ldmlab.InvalidInputException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Improved precision and recall (Kynkaanniemi et al. 2019): each feature set stands for its manifold, the union
 * of balls around its points, each ball's radius the distance to that point's k-th nearest neighbour in the set:
 * f(phi, Phi) = 1 if ||phi - phi'|| <= ||phi' - NN_k(phi')|| for some phi' in Phi, else 0.
 * precision = mean over generated phi_g of f(phi_g, Phi_real): the share of samples that look like real images;
 * recall = mean over real phi_r of f(phi_r, Phi_gen): the share of real images the samples cover.
 * FID folds both into one number; these two tell low quality (precision) from low variety (recall) apart.
 *
 * <p>Caveats: the features are the attribute classifier's, so "looks real" means "reads like a rendered shape",
 * not Inception's notion; the radii come from the sets themselves, so the numbers depend on k (the paper uses 3)
 * and on the set sizes (compare only equal sizes); an outlier in a set has a large ball that inflates its
 * manifold (the paper's reason for large sets).
 */
public record PrecisionRecall(double precision, double recall) {
    /** The paper's choice of k. */
    public static final int K = 3;

    /** Precision and recall of the generated features [M, D] against the real ones [N, D], with balls from the k-th neighbour. */
    public static PrecisionRecall of(INDArray real, INDArray generated, int k) {
        double[][] r = rows("real", real, k);
        double[][] g = rows("generated", generated, k);
        if (r[0].length != g[0].length) {
            throw new InvalidInputException("the feature sets have " + r[0].length + " and " + g[0].length
                    + " columns; both need the same feature dimension");
        }
        return new PrecisionRecall(shareInside(g, r, radii(r, k)), shareInside(r, g, radii(g, k)));
    }

    /** Squared distance of every point of {@code set} to its k-th nearest other point. */
    private static double[] radii(double[][] set, int k) {
        double[] radii = new double[set.length];
        for (int i = 0; i < set.length; i++) {
            double[] d = new double[set.length];
            for (int j = 0; j < set.length; j++) {
                d[j] = squaredDistance(set[i], set[j]);
            }
            java.util.Arrays.sort(d); // d[0] = 0: the point itself
            radii[i] = d[k];
        }
        return radii;
    }

    /** The share of {@code points} inside some ball (centre {@code centres[j]}, squared radius {@code radii[j]}). */
    private static double shareInside(double[][] points, double[][] centres, double[] radii) {
        int inside = 0;
        for (double[] p : points) {
            for (int j = 0; j < centres.length; j++) {
                if (squaredDistance(p, centres[j]) <= radii[j]) {
                    inside++;
                    break;
                }
            }
        }
        return inside / (double) points.length;
    }

    private static double squaredDistance(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }

    private static double[][] rows(String which, INDArray features, int k) {
        if (features.rank() != 2 || k < 1 || features.rows() <= k) {
            throw new InvalidInputException("the " + which + " feature set needs rows of features [N, D] with N > k >= 1; got shape "
                    + java.util.Arrays.toString(features.shape()) + " and k = " + k);
        }
        return features.castTo(DataType.DOUBLE).toDoubleMatrix();
    }
}
