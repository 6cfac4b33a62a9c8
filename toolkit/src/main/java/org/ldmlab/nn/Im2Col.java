package org.ldmlab.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * im2col for channels-last images: every k x k window of the zero-padded input becomes one row, so a
 * convolution is a single matrix product of these rows with the [k*k*Cin, Cout] weight matrix.
 * The rows are built with k*k strided copies (one per kernel offset), not per pixel; this is the reference
 * form, and {@link CpuKernels#im2col} the fast path on the CPU backend.
 */
final class Im2Col {
    private Im2Col() {}

    /** x [B, H, W, C] -> columns [B*Ho*Wo, k*k*C], row order (dy, dx, c) within a window. */
    static INDArray forward(INDArray x, int k, int stride, int pad, long ho, long wo) {
        if (CpuKernels.applies(x)) {
            return CpuKernels.im2col(x, k, stride, pad, ho, wo);
        }
        long b = x.size(0);
        long c = x.size(3);
        INDArray padded = pad(x, pad); // [B, H+2p, W+2p, C]
        INDArray col = Nd4j.create(x.dataType(), b, ho, wo, k, k, c);
        for (int dy = 0; dy < k; dy++) {
            for (int dx = 0; dx < k; dx++) {
                col.get(offset(dy, dx)).assign(padded.get(window(dy, dx, stride, ho, wo)));
            }
        }
        return col.reshape(b * ho * wo, (long) k * k * c);
    }

    /** The adjoint of {@link #forward}: scatter-adds column gradients back onto the image, [B, H, W, C]. */
    static INDArray backward(INDArray dcol, long[] xShape, int k, int stride, int pad, long ho, long wo) {
        if (CpuKernels.applies(dcol)) {
            return CpuKernels.col2im(dcol, xShape, k, stride, pad, ho, wo);
        }
        long b = xShape[0];
        long c = xShape[3];
        INDArray d = dcol.reshape(b, ho, wo, k, k, c);
        INDArray padded = Nd4j.create(dcol.dataType(), b, xShape[1] + 2L * pad, xShape[2] + 2L * pad, c);
        for (int dy = 0; dy < k; dy++) {
            for (int dx = 0; dx < k; dx++) {
                padded.get(window(dy, dx, stride, ho, wo)).addi(d.get(offset(dy, dx)));
            }
        }
        if (pad == 0) {
            return padded;
        }
        return padded.get(NDArrayIndex.all(), NDArrayIndex.interval(pad, pad + xShape[1]),
                NDArrayIndex.interval(pad, pad + xShape[2]), NDArrayIndex.all()).dup('c');
    }

    private static INDArray pad(INDArray x, int pad) {
        if (pad == 0) {
            return x;
        }
        INDArray padded = Nd4j.create(x.dataType(), x.size(0), x.size(1) + 2L * pad, x.size(2) + 2L * pad, x.size(3));
        padded.get(NDArrayIndex.all(), NDArrayIndex.interval(pad, pad + x.size(1)),
                NDArrayIndex.interval(pad, pad + x.size(2)), NDArrayIndex.all()).assign(x);
        return padded;
    }

    /** The input pixels seen by kernel offset (dy, dx) at every output position. */
    private static INDArrayIndex[] window(int dy, int dx, int stride, long ho, long wo) {
        return new INDArrayIndex[] {NDArrayIndex.all(),
            NDArrayIndex.interval(dy, stride, dy + stride * (ho - 1) + 1),
            NDArrayIndex.interval(dx, stride, dx + stride * (wo - 1) + 1), NDArrayIndex.all()};
    }

    /** The slot of kernel offset (dy, dx) in the [B, Ho, Wo, k, k, C] column tensor. */
    private static INDArrayIndex[] offset(int dy, int dx) {
        return new INDArrayIndex[] {NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
            NDArrayIndex.point(dy), NDArrayIndex.point(dx), NDArrayIndex.all()};
    }
}
