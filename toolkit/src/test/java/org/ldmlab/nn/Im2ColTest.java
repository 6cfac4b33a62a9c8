package org.ldmlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ldmlab.nn.GradCheck.randn;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The im2col convolution equals the textbook definition y[o] = sum_{dy,dx,c} x[i*s+dy-p, j*s+dx-p, c] w[dy,dx,c,o]. */
class Im2ColTest {
    @Test
    void matchesDirectConvolution() {
        for (int[] cfg : new int[][] {{3, 1, 1}, {3, 2, 1}, {1, 1, 0}, {4, 2, 1}}) {
            int k = cfg[0], s = cfg[1], p = cfg[2];
            INDArray x = randn(1, 2, 6, 5, 3);
            INDArray w = randn(2, (long) k * k * 3, 4);
            INDArray y = Ops.conv2d(Var.constant(x), Var.constant(w), k, s, p).value();
            INDArray expected = direct(x, w, k, s, p);
            assertArrayEquals(expected.shape(), y.shape());
            assertEquals(0.0, y.sub(expected).amaxNumber().doubleValue(), 1e-10, "k=" + k + " s=" + s + " p=" + p);
        }
    }

    private static INDArray direct(INDArray x, INDArray w, int k, int s, int p) {
        long b = x.size(0), h = x.size(1), wd = x.size(2), c = x.size(3), co = w.size(1);
        long ho = (h + 2 * p - k) / s + 1, wo = (wd + 2 * p - k) / s + 1;
        INDArray y = Nd4j.zeros(x.dataType(), b, ho, wo, co);
        for (int n = 0; n < b; n++) {
            for (int i = 0; i < ho; i++) {
                for (int j = 0; j < wo; j++) {
                    for (int o = 0; o < co; o++) {
                        double sum = 0;
                        for (int dy = 0; dy < k; dy++) {
                            for (int dx = 0; dx < k; dx++) {
                                long yi = (long) i * s + dy - p, xj = (long) j * s + dx - p;
                                if (yi < 0 || yi >= h || xj < 0 || xj >= wd) {
                                    continue;
                                }
                                for (int ci = 0; ci < c; ci++) {
                                    sum += x.getDouble(n, yi, xj, ci) * w.getDouble((dy * k + dx) * c + ci, o);
                                }
                            }
                        }
                        y.putScalar(new long[] {n, i, j, o}, sum);
                    }
                }
            }
        }
        return y;
    }
}
