package org.ldmlab.nn;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fused kernels for the CPU backend: plain Java loops over float arrays for the element-wise work of a
 * training step (im2col, normalisation, softmax, activations). On ND4J 1.0.0-M2.1 one element-wise op on a
 * 65k-float tensor costs ~0.15 ms and a strided copy more, while the JIT-compiled loop here costs ~0.01 ms;
 * fusing also replaces chains of ops (a LayerNorm is nine) with one pass.
 *
 * <p>These are a fast path only. The ND4J forms in {@link Ops} and {@link Im2Col} are the reference: they run
 * for other data types (the DOUBLE gradient checks) and other backends (CUDA), and a test checks that both
 * paths agree. {@code -Dldmlab.kernels=reference} turns the fast path off.
 */
public final class CpuKernels {
    private static final boolean ENABLED = !"reference".equals(System.getProperty("ldmlab.kernels")) && onCpuBackend();

    private CpuKernels() {}

    /** Whether ND4J runs on its CPU backend (not CUDA). */
    public static boolean onCpuBackend() {
        return Nd4j.getBackend().getClass().getSimpleName().startsWith("Cpu");
    }

    /** Whether the fast path handles this tensor: FLOAT, on the CPU backend, not turned off. */
    public static boolean applies(INDArray x) {
        return ENABLED && x.dataType() == DataType.FLOAT;
    }

    /** Whether every tensor is handled and plain (C order, own buffer), so results can be written back in place. */
    public static boolean appliesInPlace(INDArray... xs) {
        for (INDArray x : xs) {
            if (!applies(x) || !isPlain(x)) {
                return false;
            }
        }
        return true;
    }

    // ---- moving data between ND4J and Java ---------------------------------------------------------

    private static boolean isPlain(INDArray a) {
        return a.ordering() == 'c' && a.offset() == 0 && a.data().length() == a.length() && Shape.hasDefaultStridesForShape(a);
    }

    /** The tensor's elements in C order. A bulk JNI copy: ~9x faster than {@code data().asFloat()}. */
    static float[] floats(INDArray a) {
        INDArray c = isPlain(a) ? a : a.dup('c');
        float[] out = new float[Math.toIntExact(c.length())];
        ((FloatPointer) c.data().addressPointer()).get(out, 0, out.length);
        return out;
    }

    /** A new FLOAT tensor holding {@code data}: a bulk JNI copy, ~2x faster than {@code Nd4j.create(float[])}. */
    static INDArray tensor(float[] data, long... shape) {
        INDArray t = Nd4j.createUninitialized(DataType.FLOAT, shape);
        ((FloatPointer) t.data().addressPointer()).put(data, 0, data.length);
        return t;
    }

    /** Overwrites a plain tensor's elements with {@code data}. */
    private static void store(float[] data, INDArray target) {
        ((FloatPointer) target.data().addressPointer()).put(data, 0, data.length);
    }

    // ---- optimiser -----------------------------------------------------------------------------------

    /**
     * One Adam(W) update in place (Kingma and Ba 2015, Algorithm 1; Loshchilov and Hutter 2019):
     * m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; p = p (1 - lr wd) - lr (m / c1) / (sqrt(v / c2) + eps),
     * with c1 = 1 - b1^t, c2 = 1 - b2^t. All four tensors must pass {@link #appliesInPlace}.
     */
    public static void adam(INDArray param, INDArray grad, INDArray m, INDArray v, double lr, double beta1,
            double beta2, double eps, double weightDecay, double c1, double c2) {
        float[] p = floats(param);
        float[] g = floats(grad);
        float[] mm = floats(m);
        float[] vv = floats(v);
        float decay = (float) (1 - lr * weightDecay);
        for (int i = 0; i < p.length; i++) {
            mm[i] = (float) (beta1 * mm[i] + (1 - beta1) * g[i]);
            vv[i] = (float) (beta2 * vv[i] + (1 - beta2) * g[i] * g[i]);
            p[i] = (float) (p[i] * decay - lr * (mm[i] / c1) / (Math.sqrt(vv[i] / c2) + eps));
        }
        store(p, param);
        store(mm, m);
        store(vv, v);
    }

    /** shadow = d shadow + (1 - d) p, in place: the EMA update. */
    public static void ema(INDArray shadow, INDArray param, double d) {
        float[] s = floats(shadow);
        float[] p = floats(param);
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (d * s[i] + (1 - d) * p[i]);
        }
        store(s, shadow);
    }

    // ---- im2col ------------------------------------------------------------------------------------

    /** x [B, H, W, C] -> columns [B*Ho*Wo, k*k*C], zero padding; see {@link Im2Col#forward}. */
    static INDArray im2col(INDArray x, int k, int stride, int pad, long ho, long wo) {
        long[] s = x.shape();
        float[] in = floats(x);
        float[] col = new float[Math.toIntExact(s[0] * ho * wo * k * k * s[3])];
        int c = (int) s[3];
        forEachWindowPixel(s, k, stride, pad, ho, wo, (pixel, slot) -> System.arraycopy(in, pixel, col, slot, c));
        return tensor(col, s[0] * ho * wo, (long) k * k * c);
    }

    /** The adjoint of {@link #im2col}: scatter-adds column gradients onto the image [B, H, W, C]. */
    static INDArray col2im(INDArray dcol, long[] xShape, int k, int stride, int pad, long ho, long wo) {
        float[] d = floats(dcol);
        float[] out = new float[Math.toIntExact(xShape[0] * xShape[1] * xShape[2] * xShape[3])];
        int c = (int) xShape[3];
        forEachWindowPixel(xShape, k, stride, pad, ho, wo, (pixel, slot) -> {
            for (int ch = 0; ch < c; ch++) {
                out[pixel + ch] += d[slot + ch];
            }
        });
        return tensor(out, xShape);
    }

    /** Receives, for one in-bounds pixel of one window, its offset in the image and its slot in the columns. */
    @FunctionalInterface
    private interface WindowPixel {
        void at(int imageOffset, int columnOffset);
    }

    /** Visits every (output position, kernel offset) pair whose input pixel lies inside the unpadded image. */
    private static void forEachWindowPixel(long[] xShape, int k, int stride, int pad, long ho, long wo, WindowPixel visit) {
        int b = (int) xShape[0], h = (int) xShape[1], w = (int) xShape[2], c = (int) xShape[3];
        int row = 0;
        for (int n = 0; n < b; n++) {
            for (int i = 0; i < ho; i++) {
                for (int j = 0; j < wo; j++, row++) {
                    int base = row * k * k * c;
                    for (int dy = 0; dy < k; dy++) {
                        int y = i * stride + dy - pad;
                        for (int dx = 0; dx < k; dx++) {
                            int xx = j * stride + dx - pad;
                            if (y >= 0 && y < h && xx >= 0 && xx < w) {
                                visit.at(((n * h + y) * w + xx) * c, base + (dy * k + dx) * c);
                            }
                        }
                    }
                }
            }
        }
    }

    // ---- normalisation -----------------------------------------------------------------------------

    /**
     * The layout of a normalisation the kernel handles, x seen as [A, M, G, K], statistics over (M, K) for each
     * (a, g): LayerNorm over the last axis is [rows, 1, 1, D]; GroupNorm on [B, HW, G, C/G] over axes (1, 3)
     * is itself. Returns null for any other axes (the reference path handles those).
     */
    static int[] normLayout(long[] s, int[] dims) {
        if (dims.length == 1 && dims[0] == s.length - 1) {
            long rows = 1;
            for (int i = 0; i < s.length - 1; i++) {
                rows *= s[i];
            }
            return new int[] {(int) rows, 1, 1, (int) s[s.length - 1]};
        }
        if (s.length == 4 && dims.length == 2 && dims[0] == 1 && dims[1] == 3) {
            return new int[] {(int) s[0], (int) s[1], (int) s[2], (int) s[3]};
        }
        return null;
    }

    /** xhat = (x - mean) / sqrt(var + eps); fills {@code rstd} [A*G] with 1 / sqrt(var + eps). */
    static float[] normalize(float[] x, int[] layout, double eps, float[] rstd) {
        int a = layout[0], m = layout[1], g = layout[2], k = layout[3];
        float[] y = new float[x.length];
        for (int n = 0; n < a; n++) {
            for (int gi = 0; gi < g; gi++) {
                double sum = 0;
                for (int p = 0; p < m; p++) {
                    int o = ((n * m + p) * g + gi) * k;
                    for (int q = 0; q < k; q++) {
                        sum += x[o + q];
                    }
                }
                double mean = sum / ((double) m * k);
                double var = 0;
                for (int p = 0; p < m; p++) {
                    int o = ((n * m + p) * g + gi) * k;
                    for (int q = 0; q < k; q++) {
                        double dlt = x[o + q] - mean;
                        var += dlt * dlt;
                    }
                }
                float r = (float) (1.0 / Math.sqrt(var / ((double) m * k) + eps));
                rstd[n * g + gi] = r;
                float fm = (float) mean;
                for (int p = 0; p < m; p++) {
                    int o = ((n * m + p) * g + gi) * k;
                    for (int q = 0; q < k; q++) {
                        y[o + q] = (x[o + q] - fm) * r;
                    }
                }
            }
        }
        return y;
    }

    /** dx = rstd (dy - mean(dy) - xhat mean(dy xhat)), means over (M, K). */
    static float[] normalizeBackward(float[] dy, float[] xhat, float[] rstd, int[] layout) {
        int a = layout[0], m = layout[1], g = layout[2], k = layout[3];
        float[] dx = new float[dy.length];
        double count = (double) m * k;
        for (int n = 0; n < a; n++) {
            for (int gi = 0; gi < g; gi++) {
                double sg = 0;
                double sgx = 0;
                for (int p = 0; p < m; p++) {
                    int o = ((n * m + p) * g + gi) * k;
                    for (int q = 0; q < k; q++) {
                        sg += dy[o + q];
                        sgx += dy[o + q] * xhat[o + q];
                    }
                }
                float meanG = (float) (sg / count);
                float meanGx = (float) (sgx / count);
                float r = rstd[n * g + gi];
                for (int p = 0; p < m; p++) {
                    int o = ((n * m + p) * g + gi) * k;
                    for (int q = 0; q < k; q++) {
                        dx[o + q] = r * (dy[o + q] - meanG - xhat[o + q] * meanGx);
                    }
                }
            }
        }
        return dx;
    }

    // ---- softmax and activations -------------------------------------------------------------------

    /** Softmax over the last axis of length {@code n}, max-subtracted for stability. */
    static float[] softmax(float[] x, int n) {
        float[] y = new float[x.length];
        for (int o = 0; o < x.length; o += n) {
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                max = Math.max(max, x[o + i]);
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                float e = (float) Math.exp(x[o + i] - max);
                y[o + i] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int i = 0; i < n; i++) {
                y[o + i] *= inv;
            }
        }
        return y;
    }

    /** dx = y (dy - sum(dy y)) over the last axis. */
    static float[] softmaxBackward(float[] dy, float[] y, int n) {
        float[] dx = new float[y.length];
        for (int o = 0; o < y.length; o += n) {
            double dot = 0;
            for (int i = 0; i < n; i++) {
                dot += dy[o + i] * y[o + i];
            }
            float d = (float) dot;
            for (int i = 0; i < n; i++) {
                dx[o + i] = y[o + i] * (dy[o + i] - d);
            }
        }
        return dx;
    }

    /** SiLU forward: y = x sigmoid(x). */
    static float[] silu(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] / (1f + (float) Math.exp(-x[i]));
        }
        return y;
    }

    /** SiLU backward: dx = dy s (1 + x (1 - s)), s = sigmoid(x). */
    static float[] siluBackward(float[] dy, float[] x) {
        float[] dx = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            float s = 1f / (1f + (float) Math.exp(-x[i]));
            dx[i] = dy[i] * s * (1f + x[i] * (1f - s));
        }
        return dx;
    }
}
