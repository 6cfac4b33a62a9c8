package org.ldmlab.nn;

import java.lang.ref.Reference;
import java.util.Arrays;
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

    /**
     * The Java arrays the kernels work in, per thread and reused from call to call: allocating them anew made a
     * 2-worker UNet training step allocate ~170 MB of heap (two thirds of it these arrays), and the collections that
     * churn cost stopped both workers. Slot i of a thread holds the largest array it has needed there so far; a kernel
     * uses distinct slots for the arrays it holds at once, and only the first {@code n} elements of each.
     */
    private static final ThreadLocal<float[][]> ARRAYS = ThreadLocal.withInitial(() -> new float[4][0]);

    private static boolean isPlain(INDArray a) {
        return a.ordering() == 'c' && a.offset() == 0 && a.data().length() == a.length() && Shape.hasDefaultStridesForShape(a);
    }

    /** This thread's array in {@code slot}, at least {@code n} long; its contents are whatever was left there. */
    private static float[] array(int slot, int n) {
        float[][] arrays = ARRAYS.get();
        if (arrays[slot].length < n) {
            arrays[slot] = new float[n];
        }
        return arrays[slot];
    }

    /** This thread's array in {@code slot}, its first {@code n} elements zero. */
    private static float[] zeros(int slot, int n) {
        float[] a = array(slot, n);
        Arrays.fill(a, 0, n, 0f);
        return a;
    }

    /** The tensor's elements in C order, in this thread's array {@code slot}. A bulk JNI copy: ~9x faster than {@code data().asFloat()}. */
    private static float[] read(int slot, INDArray a) {
        INDArray c = isPlain(a) ? a : a.dup('c');
        int n = length(c);
        float[] out = array(slot, n);
        ((FloatPointer) c.data().addressPointer()).get(out, 0, n);
        Reference.reachabilityFence(c); // a collected copy would free its memory during the copy above
        return out;
    }

    /** A new FLOAT tensor holding the first {@code n} elements of {@code data}: a bulk JNI copy, ~2x faster than {@code Nd4j.create(float[])}. */
    private static INDArray tensor(float[] data, int n, long... shape) {
        INDArray t = Nd4j.createUninitialized(DataType.FLOAT, shape);
        ((FloatPointer) t.data().addressPointer()).put(data, 0, n);
        return t;
    }

    /** Overwrites a plain tensor's elements with the first {@code n} of {@code data}. */
    private static void store(float[] data, int n, INDArray target) {
        ((FloatPointer) target.data().addressPointer()).put(data, 0, n);
    }

    private static int length(INDArray a) {
        return Math.toIntExact(a.length());
    }

    // ---- optimiser -----------------------------------------------------------------------------------

    /**
     * One Adam(W) update in place (Kingma and Ba 2015, Algorithm 1; Loshchilov and Hutter 2019):
     * m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; p = p (1 - lr wd) - lr (m / c1) / (sqrt(v / c2) + eps),
     * with c1 = 1 - b1^t, c2 = 1 - b2^t. All four tensors must pass {@link #appliesInPlace}.
     */
    public static void adam(INDArray param, INDArray grad, INDArray m, INDArray v, double lr, double beta1,
            double beta2, double eps, double weightDecay, double c1, double c2) {
        int n = length(param);
        float[] p = read(0, param);
        float[] g = read(1, grad);
        float[] mm = read(2, m);
        float[] vv = read(3, v);
        float decay = (float) (1 - lr * weightDecay);
        for (int i = 0; i < n; i++) {
            mm[i] = (float) (beta1 * mm[i] + (1 - beta1) * g[i]);
            vv[i] = (float) (beta2 * vv[i] + (1 - beta2) * g[i] * g[i]);
            p[i] = (float) (p[i] * decay - lr * (mm[i] / c1) / (Math.sqrt(vv[i] / c2) + eps));
        }
        store(p, n, param);
        store(mm, n, m);
        store(vv, n, v);
    }

    /** shadow = d shadow + (1 - d) p, in place: the EMA update. */
    public static void ema(INDArray shadow, INDArray param, double d) {
        int n = length(shadow);
        float[] s = read(0, shadow);
        float[] p = read(1, param);
        for (int i = 0; i < n; i++) {
            s[i] = (float) (d * s[i] + (1 - d) * p[i]);
        }
        store(s, n, shadow);
    }

    // ---- im2col ------------------------------------------------------------------------------------

    /** x [B, H, W, C] -> columns [B*Ho*Wo, k*k*C], zero padding; see {@link Im2Col#forward}. */
    static INDArray im2col(INDArray x, int k, int stride, int pad, long ho, long wo) {
        long[] s = x.shape();
        float[] in = read(0, x);
        int n = Math.toIntExact(s[0] * ho * wo * k * k * s[3]);
        float[] col = zeros(1, n);
        int c = (int) s[3];
        forEachWindowPixel(s, k, stride, pad, ho, wo, (pixel, slot) -> System.arraycopy(in, pixel, col, slot, c));
        return tensor(col, n, s[0] * ho * wo, (long) k * k * c);
    }

    /** The adjoint of {@link #im2col}: scatter-adds column gradients onto the image [B, H, W, C]. */
    static INDArray col2im(INDArray dcol, long[] xShape, int k, int stride, int pad, long ho, long wo) {
        float[] d = read(0, dcol);
        int n = Math.toIntExact(xShape[0] * xShape[1] * xShape[2] * xShape[3]);
        float[] out = zeros(1, n);
        int c = (int) xShape[3];
        forEachWindowPixel(xShape, k, stride, pad, ho, wo, (pixel, slot) -> {
            for (int ch = 0; ch < c; ch++) {
                out[pixel + ch] += d[slot + ch];
            }
        });
        return tensor(out, n, xShape);
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
    static INDArray normalize(INDArray input, int[] layout, double eps, float[] rstd) {
        int a = layout[0], m = layout[1], g = layout[2], k = layout[3];
        int length = length(input);
        float[] x = read(0, input);
        float[] y = array(1, length);
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
        return tensor(y, length, input.shape());
    }

    /** dx = rstd (dy - mean(dy) - xhat mean(dy xhat)), means over (M, K); {@code normalized} is the forward's xhat. */
    static INDArray normalizeBackward(INDArray gradient, INDArray normalized, float[] rstd, int[] layout) {
        int a = layout[0], m = layout[1], g = layout[2], k = layout[3];
        int length = length(gradient);
        float[] dy = read(0, gradient);
        float[] xhat = read(1, normalized);
        float[] dx = array(2, length);
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
        return tensor(dx, length, gradient.shape());
    }

    // ---- softmax and activations -------------------------------------------------------------------

    /** Softmax over the last axis of length {@code n}, max-subtracted for stability. */
    static INDArray softmax(INDArray input, int n) {
        int length = length(input);
        float[] x = read(0, input);
        float[] y = array(1, length);
        for (int o = 0; o < length; o += n) {
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
        return tensor(y, length, input.shape());
    }

    /** dx = y (dy - sum(dy y)) over the last axis; {@code output} is the forward's y. */
    static INDArray softmaxBackward(INDArray gradient, INDArray output, int n) {
        int length = length(output);
        float[] dy = read(0, gradient);
        float[] y = read(1, output);
        float[] dx = array(2, length);
        for (int o = 0; o < length; o += n) {
            double dot = 0;
            for (int i = 0; i < n; i++) {
                dot += dy[o + i] * y[o + i];
            }
            float d = (float) dot;
            for (int i = 0; i < n; i++) {
                dx[o + i] = y[o + i] * (dy[o + i] - d);
            }
        }
        return tensor(dx, length, output.shape());
    }

    /** SiLU forward: y = x sigmoid(x). */
    static INDArray silu(INDArray input) {
        int length = length(input);
        float[] x = read(0, input);
        float[] y = array(1, length);
        for (int i = 0; i < length; i++) {
            y[i] = x[i] / (1f + (float) Math.exp(-x[i]));
        }
        return tensor(y, length, input.shape());
    }

    /** SiLU backward: dx = dy s (1 + x (1 - s)), s = sigmoid(x); {@code input} is the forward's x. */
    static INDArray siluBackward(INDArray gradient, INDArray input) {
        int length = length(input);
        float[] dy = read(0, gradient);
        float[] x = read(1, input);
        float[] dx = array(2, length);
        for (int i = 0; i < length; i++) {
            float s = 1f / (1f + (float) Math.exp(-x[i]));
            dx[i] = dy[i] * s * (1f + x[i] * (1f - s));
        }
        return tensor(dx, length, input.shape());
    }
}
