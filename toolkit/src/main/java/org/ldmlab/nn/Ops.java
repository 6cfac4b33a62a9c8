package org.ldmlab.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The differentiable operations the models are built from, each an eager ND4J computation plus the rule
 * that carries the gradient back (the vector-Jacobian product). Images are channels-last, {@code [B, H, W, C]},
 * so a 1x1 convolution, a linear layer and the attention projections are all one matrix product over
 * {@code [B*H*W, C]} rows, and image tokens {@code [B, HW, C]} are a free reshape.
 */
public final class Ops {
    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2 * Math.PI);

    private Ops() {}

    // ---- elementwise, with NumPy broadcasting ------------------------------------------------------

    public static Var add(Var a, Var b) {
        return Var.of(a.value().add(b.value()), g -> {
            INDArray ga = sumTo(g, a.shape());
            INDArray gb = sumTo(g, b.shape());
            a.accumulate(ga);
            b.accumulate(gb == ga ? gb.dup() : gb);
        }, a, b);
    }

    public static Var sub(Var a, Var b) {
        return Var.of(a.value().sub(b.value()), g -> {
            a.accumulate(sumTo(g, a.shape()));
            b.accumulate(sumTo(g, b.shape()).neg());
        }, a, b);
    }

    public static Var mul(Var a, Var b) {
        return Var.of(a.value().mul(b.value()), g -> {
            a.accumulate(sumTo(g.mul(b.value()), a.shape()));
            b.accumulate(sumTo(g.mul(a.value()), b.shape()));
        }, a, b);
    }

    public static Var scale(Var a, double s) {
        return Var.of(a.value().mul(s), g -> a.accumulate(g.mul(s)), a);
    }

    public static Var exp(Var a) {
        INDArray y = Transforms.exp(a.value(), true);
        return Var.of(y, g -> a.accumulate(g.mul(y)), a);
    }

    /** min(max(x, lo), hi); the gradient passes where lo < x < hi and is zero where the value was clipped. */
    public static Var clamp(Var a, double lo, double hi) {
        INDArray x = a.value();
        INDArray inside = x.gt(lo).castTo(x.dataType()).muli(x.lt(hi).castTo(x.dataType()));
        return Var.of(Transforms.min(Transforms.max(x, lo, true), hi, false), g -> a.accumulate(g.mul(inside)), a);
    }

    /** SiLU (swish): x * sigmoid(x); d/dx = s (1 + x (1 - s)). */
    public static Var silu(Var a) {
        if (CpuKernels.applies(a.value())) {
            return Var.of(CpuKernels.silu(a.value()), g -> a.accumulate(CpuKernels.siluBackward(g, a.value())), a);
        }
        INDArray s = Transforms.sigmoid(a.value(), true);
        return Var.of(a.value().mul(s), g -> {
            INDArray d = s.rsub(1.0).muli(a.value()).addi(1.0).muli(s); // s (1 + x (1 - s))
            a.accumulate(d.muli(g));
        }, a);
    }

    /** Exact GELU: x Phi(x) with Phi(x) = (1 + erf(x / sqrt 2)) / 2; d/dx = Phi(x) + x phi(x). */
    public static Var gelu(Var a) {
        INDArray x = a.value();
        INDArray phiCdf = Nd4j.math.erf(x.mul(SQRT_HALF)).addi(1.0).muli(0.5);
        return Var.of(x.mul(phiCdf), g -> {
            INDArray pdf = Transforms.exp(x.mul(x).muli(-0.5), false).muli(INV_SQRT_2PI);
            a.accumulate(pdf.muli(x).addi(phiCdf).muli(g));
        }, a);
    }

    // ---- matrix products ------------------------------------------------------------------------------

    /** a [M, K] x b [K, N], or batched a [B, M, K] x b [B, K, N]. */
    public static Var matmul(Var a, Var b) {
        return matmul(a, b, false);
    }

    /** a x b^T: a [B, M, K], b [B, N, K] -> [B, M, N] (attention scores Q K^T). */
    public static Var matmulTransposed(Var a, Var b) {
        return matmul(a, b, true);
    }

    private static Var matmul(Var a, Var b, boolean transposeB) {
        INDArray y = Nd4j.matmul(a.value(), b.value(), false, transposeB, false);
        MacCount.product(y.length(), a.shape()[a.shape().length - 1]); // [.., M, N] outputs, each a sum over K
        return Var.of(y, g -> {
            // y = a b'  (b' = b or b^T):  da = g b'^T,  db' = a^T g
            a.accumulate(Nd4j.matmul(g, b.value(), false, !transposeB, false));
            b.accumulate(transposeB
                    ? Nd4j.matmul(g, a.value(), true, false, false)
                    : Nd4j.matmul(a.value(), g, true, false, false));
        }, a, b);
    }

    // ---- shapes -----------------------------------------------------------------------------------

    public static Var reshape(Var a, long... shape) {
        long[] original = a.shape();
        return Var.of(contiguous(a.value()).reshape(shape), g -> a.accumulate(g.reshape(original)), a);
    }

    /** Reorders dimensions; the result is contiguous so matrix products on it need no hidden copies. */
    public static Var permute(Var a, int... dims) {
        int[] inverse = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            inverse[dims[i]] = i;
        }
        return Var.of(a.value().permute(dims).dup('c'), g -> a.accumulate(g.permute(inverse).dup('c')), a);
    }

    public static Var concat(int axis, Var... xs) {
        INDArray[] values = Arrays.stream(xs).map(Var::value).toArray(INDArray[]::new);
        return Var.of(Nd4j.concat(axis, values), g -> {
            long offset = 0;
            for (Var x : xs) {
                long size = x.value().size(axis);
                x.accumulate(g.get(along(g.rank(), axis, offset, offset + size)).dup('c'));
                offset += size;
            }
        }, xs);
    }

    /** The slice [from, to) of {@code a} along {@code axis} (e.g. one of the chunks of a projection). */
    public static Var slice(Var a, int axis, long from, long to) {
        INDArrayIndex[] index = along(a.value().rank(), axis, from, to);
        return Var.of(a.value().get(index).dup('c'), g -> {
            INDArray full = a.value().like(); // zeros: only the slice is written (ulike() left the rest as the memory was)
            full.get(index).assign(g);
            a.accumulate(full);
        }, a);
    }

    // ---- normalisation and softmax ----------------------------------------------------------------

    /**
     * (x - mean) / sqrt(var + eps) over {@code dims}: LayerNorm over the last dimension, GroupNorm over
     * (positions, channels of a group). Backward: dx = (g - mean(g) - xhat mean(g xhat)) / sqrt(var + eps).
     */
    public static Var normalize(Var a, double eps, int... dims) {
        int[] layout = CpuKernels.normLayout(a.shape(), dims);
        if (layout != null && CpuKernels.applies(a.value())) {
            float[] rstd = new float[layout[0] * layout[2]];
            INDArray xhat = CpuKernels.normalize(a.value(), layout, eps, rstd);
            return Var.of(xhat, g -> a.accumulate(CpuKernels.normalizeBackward(g, xhat, rstd, layout)), a);
        }
        INDArray x = a.value();
        INDArray centred = x.sub(x.mean(true, dims));
        INDArray rstd = Transforms.pow(centred.mul(centred).mean(true, dims).addi(eps), -0.5, false);
        INDArray xhat = centred.muli(rstd);
        return Var.of(xhat, g -> {
            INDArray meanG = g.mean(true, dims);
            INDArray meanGx = g.mul(xhat).mean(true, dims);
            a.accumulate(g.sub(meanG).subi(xhat.mul(meanGx)).muli(rstd));
        }, a);
    }

    /** Softmax over the last dimension; backward dx = y (g - sum(g y)). */
    public static Var softmax(Var a) {
        int last = a.value().rank() - 1;
        if (CpuKernels.applies(a.value())) {
            int n = (int) a.value().size(last);
            INDArray y = CpuKernels.softmax(a.value(), n);
            return Var.of(y, g -> a.accumulate(CpuKernels.softmaxBackward(g, y, n)), a);
        }
        INDArray y = Nd4j.nn.softmax(a.value(), last);
        return Var.of(y, g -> a.accumulate(g.sub(g.mul(y).sum(true, last)).muli(y)), a);
    }

    // ---- convolution and resampling (channels-last) -------------------------------------------------

    /**
     * 2-D convolution as im2col + one matrix product. x [B, H, W, Cin], w [k*k*Cin, Cout] (rows ordered
     * (dy, dx, cin)); zero padding {@code pad}, stride {@code stride}. Returns [B, Ho, Wo, Cout].
     */
    public static Var conv2d(Var x, Var w, int k, int stride, int pad) {
        long[] s = x.shape();
        long b = s[0];
        long cin = s[3];
        long ho = (s[1] + 2L * pad - k) / stride + 1;
        long wo = (s[2] + 2L * pad - k) / stride + 1;
        long cout = w.shape()[1];
        if (w.shape()[0] != (long) k * k * cin) {
            throw new IllegalArgumentException("conv weight has " + w.shape()[0] + " rows, expected k*k*Cin = " + k * k * cin);
        }
        if (k == 1 && stride == 1 && pad == 0) {
            return reshape(matmul(reshape(x, b * ho * wo, cin), w), b, ho, wo, cout);
        }
        INDArray col = Im2Col.forward(x.value(), k, stride, pad, ho, wo); // [B*Ho*Wo, k*k*Cin]
        INDArray y = col.mmul(w.value()).reshape(b, ho, wo, cout);
        MacCount.product(y.length(), (long) k * k * cin); // B*Ho*Wo*Cout outputs, each over k*k*Cin
        Var out = Var.of(y, g -> {
            INDArray g2 = g.reshape(b * ho * wo, cout);
            w.accumulate(Nd4j.matmul(col, g2, true, false, false));
            if (x.requiresGrad()) {
                INDArray dcol = Nd4j.matmul(g2, w.value(), false, true, false);
                x.accumulate(Im2Col.backward(dcol, s, k, stride, pad, ho, wo));
                release(dcol);
            }
            release(col); // used by this backward only (as PyTorch frees a graph's saved tensors after backward)
        }, x, w);
        if (!out.requiresGrad()) {
            release(col); // no backward will read it
        }
        return out;
    }

    /** Nearest-neighbour 2x upsampling, [B, H, W, C] -> [B, 2H, 2W, C]; backward sums each 2x2 block. */
    public static Var upsample2x(Var x) {
        long[] s = x.shape();
        INDArray y = Nd4j.create(x.value().dataType(), s[0], 2 * s[1], 2 * s[2], s[3]);
        for (int dy = 0; dy < 2; dy++) {
            for (int dx = 0; dx < 2; dx++) {
                y.get(parity(dy, dx, y)).assign(x.value());
            }
        }
        return Var.of(y, g -> {
            INDArray sum = g.get(parity(0, 0, g)).dup('c');
            sum.addi(g.get(parity(0, 1, g)));
            sum.addi(g.get(parity(1, 0, g)));
            sum.addi(g.get(parity(1, 1, g)));
            x.accumulate(sum);
        }, x);
    }

    // ---- reductions and losses -------------------------------------------------------------------

    public static Var mean(Var a) {
        long n = a.value().length();
        return Var.of(a.value().mean(), g -> a.accumulate(a.value().ulike().assign(g.getDouble(0) / n)), a);
    }

    /** Mean squared error, the L_simple of DDPM eq. 14 when pred = eps_theta and target = eps. */
    public static Var mse(Var pred, INDArray target) {
        INDArray diff = pred.value().sub(target);
        long n = diff.length();
        INDArray loss = diff.mul(diff).mean();
        return Var.of(loss, g -> pred.accumulate(diff.mul(2.0 * g.getDouble(0) / n)), pred);
    }

    /**
     * The mean of w_b (pred - target)^2 over all elements, one weight per sample b: w [B, 1, ..., 1] with pred's rank
     * (a loss weighting such as min-SNR, {@link org.ldmlab.schedule.LossWeighting}). All w_b = 1 is {@link #mse}.
     * dL/dpred = 2 w_b (pred - target) / n.
     */
    public static Var weightedMse(Var pred, INDArray target, INDArray w) {
        INDArray diff = pred.value().sub(target);
        INDArray weightedDiff = diff.mul(w); // [B, ...] w_b (pred - target)
        long n = diff.length();
        INDArray loss = weightedDiff.mul(diff).mean();
        return Var.of(loss, g -> pred.accumulate(weightedDiff.mul(2.0 * g.getDouble(0) / n)), pred);
    }

    /**
     * Softmax cross-entropy of logits [B, K] against targets [B, K] (one-hot rows, or all-zero rows for
     * examples that have no label for this head): L = -sum(y * log softmax(z)) / B, with log softmax computed
     * as z - max - log(sum(exp(z - max))) so that large logits do not overflow. dL/dz = (p sum(y) - y) / B,
     * which is the familiar (p - y) / B on one-hot rows and zero on all-zero rows.
     */
    public static Var softmaxCrossEntropy(Var logits, INDArray targets) {
        INDArray z = logits.value();
        long batch = z.size(0);
        INDArray shifted = z.sub(z.max(true, 1));
        INDArray logSumExp = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
        INDArray logP = shifted.subi(logSumExp);                                   // [B, K]
        INDArray loss = targets.mul(logP).sum().divi(-batch);
        return Var.of(loss, g -> {
            INDArray p = Transforms.exp(logP, true);
            INDArray dz = p.muli(targets.sum(true, 1)).subi(targets);               // p sum(y) - y
            logits.accumulate(dz.muli(g.getDouble(0) / batch));
        }, logits);
    }

    // ---- helpers -----------------------------------------------------------------------------------

    /** Sums {@code g} down to {@code shape}: the gradient of a broadcast is the sum over what was repeated. */
    static INDArray sumTo(INDArray g, long[] shape) {
        if (Arrays.equals(g.shape(), shape)) {
            return g;
        }
        int lead = g.rank() - shape.length;
        List<Integer> dims = new ArrayList<>();
        for (int i = 0; i < g.rank(); i++) {
            if (i < lead || (shape[i - lead] == 1 && g.size(i) != 1)) {
                dims.add(i);
            }
        }
        return g.sum(true, dims.stream().mapToInt(Integer::intValue).toArray()).reshape(shape);
    }

    /**
     * Frees a temporary's native memory now. ND4J frees it anyway once the collector finds the array unreachable, but
     * the im2col columns are the largest tensors of a step (k^2 times the image) and, surviving a collection or two
     * while the step runs, they kept gigabytes of dead memory resident. Views share their base's memory: left alone.
     */
    private static void release(INDArray temporary) {
        if (temporary.closeable()) {
            temporary.close();
        }
    }

    private static INDArray contiguous(INDArray a) {
        return a.isView() || a.ordering() != 'c' ? a.dup('c') : a;
    }

    /** Index [from, to) along {@code axis}, everything along the other axes. */
    static INDArrayIndex[] along(int rank, int axis, long from, long to) {
        INDArrayIndex[] index = new INDArrayIndex[rank];
        Arrays.fill(index, NDArrayIndex.all());
        index[axis] = NDArrayIndex.interval(from, to);
        return index;
    }

    /** The pixels (2i + dy, 2j + dx) of a [B, 2H, 2W, C] image: one of the four copies made by upsampling. */
    private static INDArrayIndex[] parity(int dy, int dx, INDArray image) {
        return new INDArrayIndex[] {NDArrayIndex.all(), NDArrayIndex.interval(dy, 2, image.size(1)),
            NDArrayIndex.interval(dx, 2, image.size(2)), NDArrayIndex.all()};
    }
}
