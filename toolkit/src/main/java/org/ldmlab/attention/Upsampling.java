package org.ldmlab.attention;

import org.ldmlab.Choice;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * How a map at a layer's resolution (8x8, 4x4) is brought to the image's (32x32). Each method is a matrix A
 * [S, h] of interpolation weights, so a map M [h, w] upsamples as A_y M A_x^T: separable and linear, as in
 * PyTorch's {@code interpolate} with half-pixel centres ({@code align_corners=False}).
 * <ul>
 *   <li>{@link #NEAREST}: each source cell becomes a block (what the model "sees");</li>
 *   <li>{@link #BILINEAR}: linear between the cell centres, edges held;</li>
 *   <li>{@link #BICUBIC}: Keys' cubic convolution with a = -0.75 (PyTorch's), edges replicated, then clamped at 0,
 *       as DAAM does (Tang et al. 2023), since the cubic kernel overshoots below zero.</li>
 * </ul>
 */
public enum Upsampling implements Choice {
    NEAREST, BILINEAR, BICUBIC;

    private static final double CUBIC_A = -0.75;

    public static Upsampling parse(String word) {
        return Choice.parse(Upsampling.class, word, "upsampling");
    }

    /** maps [K, h, w] -> [K, size, size] */
    public INDArray apply(INDArray maps, int size) {
        long k = maps.size(0);
        int h = (int) maps.size(1);
        int w = (int) maps.size(2);
        INDArray ax = weights(w, size, maps.dataType());                                     // [S, w]
        INDArray ay = weights(h, size, maps.dataType());                                     // [S, h]
        INDArray alongX = maps.reshape(k * h, w).mmul(ax.transpose()).reshape(k, h, size);  // [K, h, S]
        INDArray yFirst = alongX.permute(0, 2, 1).dup().reshape(k * size, h);               // [K*S_x, h]
        INDArray both = yFirst.mmul(ay.transpose()).reshape(k, size, size).permute(0, 2, 1); // [K, S_y, S_x]
        INDArray out = both.dup();
        return this == BICUBIC ? Transforms.max(out, 0.0, false) : out;
    }

    /** The interpolation matrix A [size, n]: row i holds the weights of the n source cells for output cell i. */
    INDArray weights(int n, int size, DataType type) {
        double[][] a = new double[size][n];
        for (int i = 0; i < size; i++) {
            double source = (i + 0.5) * n / size - 0.5; // output cell centre in source coordinates
            switch (this) {
                case NEAREST -> a[i][Math.min(n - 1, (int) Math.floor((double) i * n / size))] = 1;
                case BILINEAR -> {
                    double s = Math.max(0, Math.min(n - 1, source));
                    int i0 = (int) Math.floor(s);
                    int i1 = Math.min(i0 + 1, n - 1);
                    a[i][i0] += 1 - (s - i0);
                    a[i][i1] += s - i0;
                }
                case BICUBIC -> {
                    int i0 = (int) Math.floor(source);
                    double t = source - i0;
                    for (int m = -1; m <= 2; m++) {
                        a[i][Math.max(0, Math.min(n - 1, i0 + m))] += cubic(m - t);
                    }
                }
            }
        }
        return Nd4j.createFromArray(a).castTo(type);
    }

    /** Keys' cubic convolution kernel (Keys 1981, eq. 15) with a = -0.75. */
    private static double cubic(double x) {
        double d = Math.abs(x);
        if (d <= 1) {
            return ((CUBIC_A + 2) * d - (CUBIC_A + 3)) * d * d + 1;
        }
        return d < 2 ? ((CUBIC_A * d - 5 * CUBIC_A) * d + 8 * CUBIC_A) * d - 4 * CUBIC_A : 0;
    }
}
