package org.ldmlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The fused CPU kernels compute what the reference ND4J forms compute: each op runs in FLOAT (fast path)
 * and in DOUBLE (reference path, the one the gradient checks cover), forward and backward, and the two agree.
 */
class CpuKernelsTest {
    @Test
    void fastPathIsActiveForFloatOnTheCpuBackend() {
        assertTrue(CpuKernels.applies(GradCheck.randn(1, 2).castTo(DataType.FLOAT)));
    }

    @Test
    void fusedOpsAgreeWithTheReference() {
        agree("silu", v -> Ops.silu(v.get(0)), GradCheck.randn(1, 3, 5, 7));
        agree("softmax", v -> Ops.softmax(v.get(0)), GradCheck.randn(2, 4, 6, 9));
        agree("layer norm", v -> Ops.normalize(v.get(0), 1e-5, 2), GradCheck.randn(3, 2, 5, 16));
        agree("group norm", v -> Ops.normalize(v.get(0), 1e-6, 1, 3), GradCheck.randn(4, 2, 9, 4, 3));
        agree("conv 3x3", v -> Ops.conv2d(v.get(0), v.get(1), 3, 1, 1), GradCheck.randn(5, 2, 5, 4, 3), GradCheck.randn(6, 27, 4));
        agree("conv 3x3 stride 2", v -> Ops.conv2d(v.get(0), v.get(1), 3, 2, 1), GradCheck.randn(7, 2, 6, 6, 2), GradCheck.randn(8, 18, 3));
    }

    @Test
    void reusedArraysLeaveNoTraceOfEarlierCalls() {
        // the kernels work in per-thread arrays reused from call to call: a small call after a large one (whose
        // values are left in them) must give, bit for bit, what it gave before
        INDArray[] small = {GradCheck.randn(11, 1, 3, 3, 2).castTo(DataType.FLOAT), GradCheck.randn(12, 18, 2).castTo(DataType.FLOAT)};
        INDArray[] large = {GradCheck.randn(13, 2, 8, 8, 4).castTo(DataType.FLOAT), GradCheck.randn(14, 36, 4).castTo(DataType.FLOAT)};
        List<INDArray> before = convAndNorm(small);
        convAndNorm(large);
        List<INDArray> after = convAndNorm(small);
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i).data().asFloat(), after.get(i).data().asFloat(), "result " + i + " changed after a larger call");
        }
    }

    /** Output and input gradients of SiLU(GroupNorm(conv 3x3 (x, w))) and a softmax: every fused kernel, both directions. */
    private static List<INDArray> convAndNorm(INDArray[] xw) {
        Var x = Var.parameter(xw[0].dup());
        Var w = Var.parameter(xw[1].dup());
        Var h = Ops.conv2d(x, w, 3, 1, 1);
        long[] s = h.shape();
        Var n = Ops.reshape(Ops.normalize(Ops.reshape(h, s[0], s[1] * s[2], 2, s[3] / 2), 1e-6, 1, 3), s);
        Var out = Ops.softmax(Ops.silu(n));
        Ops.mean(Ops.mul(out, Var.constant(GradCheck.randn(15, s).castTo(DataType.FLOAT)))).backward();
        return List.of(out.value().dup(), x.grad().dup(), w.grad().dup());
    }

    /** Runs f on FLOAT and DOUBLE copies of the inputs; outputs and input gradients must match to float precision. */
    private static void agree(String name, Function<List<Var>, Var> f, INDArray... inputs) {
        INDArray r = null;
        INDArray[][] results = new INDArray[2][];
        DataType[] types = {DataType.FLOAT, DataType.DOUBLE};
        for (int k = 0; k < 2; k++) {
            DataType type = types[k];
            List<Var> vars = java.util.Arrays.stream(inputs).map(x -> Var.parameter(x.castTo(type))).toList();
            Var out = f.apply(vars);
            if (r == null) {
                r = GradCheck.randn(99, out.shape());
            }
            Ops.mean(Ops.mul(out, Var.constant(r.castTo(type)))).backward();
            results[k] = new INDArray[inputs.length + 1];
            results[k][0] = out.value().castTo(DataType.DOUBLE);
            for (int i = 0; i < inputs.length; i++) {
                results[k][i + 1] = vars.get(i).grad().castTo(DataType.DOUBLE);
            }
        }
        for (int i = 0; i < results[0].length; i++) {
            double diff = results[0][i].sub(results[1][i]).amaxNumber().doubleValue();
            double scale = Math.max(1e-3, results[1][i].amaxNumber().doubleValue());
            assertTrue(diff / scale < 1e-4, name + (i == 0 ? " output" : " gradient of input " + (i - 1)) + " differs by " + diff);
        }
    }
}
