package org.ldmlab.metrics;

import org.ldmlab.InvalidInputException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The Frechet distance between Gaussians fitted to two sets of feature vectors, the formula behind FID
 * (Heusel et al. 2017): d^2 = ||mu1 - mu2||^2 + Tr(S1 + S2 - 2 (S1 S2)^{1/2}).
 * Tr((S1 S2)^{1/2}) is computed in the symmetric form Tr((S1^{1/2} S2 S1^{1/2})^{1/2}) (the same eigenvalues),
 * with both square roots from symmetric eigen-decompositions and tiny negative eigenvalues (rounding) set to 0,
 * so no complex numbers or non-symmetric solvers are needed. d^2 >= 0; rounding can take the sum a little below 0
 * (two identical sets of fewer rows than columns did), and it is clamped to 0.
 *
 * <p>A covariance is singular when a set has no more rows than columns, or features that are constant or linearly
 * dependent: the distance is still defined, but its estimate needs many more samples than features to mean much
 * (FID is computed on 10,000 or 50,000 images of 2,048 features), so a command says so.
 */
public final class FrechetDistance {
    private FrechetDistance() {}

    /** The Frechet distance between the Gaussian fits of two feature sets, rows = samples [N, D]. */
    public static double between(INDArray featuresA, INDArray featuresB) {
        INDArray a = check("first", featuresA);
        INDArray b = check("second", featuresB);
        if (a.columns() != b.columns()) {
            throw new InvalidInputException("the feature sets have " + a.columns() + " and " + b.columns()
                    + " columns; both need the same feature dimension");
        }
        return between(a.mean(0), covariance(a), b.mean(0), covariance(b));
    }

    /** d^2 between N(mu1, S1) and N(mu2, S2): means [D], covariances [D, D] (symmetric positive semi-definite). */
    public static double between(INDArray mu1, INDArray s1, INDArray mu2, INDArray s2) {
        INDArray diff = mu1.castTo(DataType.DOUBLE).sub(mu2.castTo(DataType.DOUBLE));
        INDArray root1 = sqrtm(s1.castTo(DataType.DOUBLE));
        INDArray middle = root1.mmul(s2.castTo(DataType.DOUBLE)).mmul(root1); // S1^{1/2} S2 S1^{1/2}, symmetric PSD
        double traceOfRoot = Transforms.sqrt(eigenvalues(symmetrised(middle)), false).sumNumber().doubleValue();
        double d = diff.mul(diff).sumNumber().doubleValue() + trace(s1) + trace(s2) - 2 * traceOfRoot;
        if (!Double.isFinite(d)) {
            throw new InvalidInputException("the Frechet distance of these features is " + d + ": their values are too large "
                    + "for double precision (the squared distances overflow); scale the features down");
        }
        return Math.max(0, d);
    }

    /**
     * Whether the sample covariance of the rows [N, D] is singular: N <= D, or an eigenvalue at rounding level
     * (below 1e-12 of the largest).
     */
    public static boolean singularCovariance(INDArray features) {
        INDArray f = check("", features);
        if (f.rows() <= f.columns()) {
            return true;
        }
        INDArray values = Eigen.symmetricGeneralizedEigenvalues(symmetrised(covariance(f)), false);
        return values.minNumber().doubleValue() <= 1e-12 * values.maxNumber().doubleValue();
    }

    /** The unbiased sample covariance of rows [N, D] -> [D, D]. */
    private static INDArray covariance(INDArray rows) {
        INDArray centred = rows.sub(rows.mean(0).reshape(1, rows.columns()));
        return centred.transpose().mmul(centred).divi(rows.rows() - 1);
    }

    /** The symmetric square root V sqrt(L) V^T of a symmetric positive semi-definite matrix. */
    private static INDArray sqrtm(INDArray s) {
        INDArray vectors = symmetrised(s);                    // overwritten with the eigenvectors (columns)
        INDArray values = Eigen.symmetricGeneralizedEigenvalues(vectors, true);
        INDArray roots = Transforms.sqrt(Transforms.max(values, 0.0, false), false);
        return vectors.mulRowVector(roots).mmul(vectors.transpose());
    }

    private static INDArray eigenvalues(INDArray symmetric) {
        return Transforms.max(Eigen.symmetricGeneralizedEigenvalues(symmetric.dup(), false), 0.0, false);
    }

    /** (M + M^T) / 2: removes the rounding asymmetry that a product of symmetric matrices picks up. */
    private static INDArray symmetrised(INDArray m) {
        return m.add(m.transpose()).muli(0.5);
    }

    private static double trace(INDArray m) {
        return Nd4j.diag(m.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
    }

    private static INDArray check(String which, INDArray f) {
        if (f.rank() != 2 || f.rows() < 2) {
            throw new InvalidInputException("the " + which + (which.isEmpty() ? "" : " ") + "feature set needs at least 2 rows of features; got shape "
                    + java.util.Arrays.toString(f.shape()));
        }
        return f.castTo(DataType.DOUBLE);
    }
}
