package org.ldmlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ldmlab.nn.GradCheck.randn;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class MacCountTest {
    @Test
    void aProductCountsMTimesKTimesNAndABatchedOneTimesTheBatch() {
        Var a = Var.constant(randn(1, 3, 5));    // [M, K]
        Var b = Var.constant(randn(2, 5, 4));    // [K, N]
        assertEquals(3 * 5 * 4, MacCount.of(() -> Ops.matmul(a, b)));
        Var q = Var.constant(randn(3, 6, 7, 8)); // [B, N, d]
        Var k = Var.constant(randn(4, 6, 9, 8)); // [B, M, d]
        assertEquals(6 * 7 * 9 * 8, MacCount.of(() -> Ops.matmulTransposed(q, k)), "Q K^T: B N M d");
    }

    @Test
    void aConvolutionCountsEveryOutputTimesItsWindowOnEveryPath() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) { // the CPU kernels' im2col, and ND4J's
            Var x = Var.constant(randn(5, 2, 6, 6, 3).castTo(type));      // [B, H, W, Cin]
            Var w3 = Var.constant(randn(6, 3 * 3 * 3, 4).castTo(type));   // 3x3, Cin 3, Cout 4
            Var w1 = Var.constant(randn(7, 3, 4).castTo(type));           // 1x1, a plain product
            assertEquals(2 * 6 * 6 * 4 * (3 * 3 * 3), MacCount.of(() -> Ops.conv2d(x, w3, 3, 1, 1)), "same 3x3 on " + type);
            assertEquals(2 * 3 * 3 * 4 * (3 * 3 * 3), MacCount.of(() -> Ops.conv2d(x, w3, 3, 2, 1)), "stride 2: 3x3 outputs");
            assertEquals(2 * 6 * 6 * 4 * 3, MacCount.of(() -> Ops.conv2d(x, w1, 1, 1, 0)), "1x1 on " + type);
        }
    }

    @Test
    void countsOnlyForwardProductsOnlyInsideTheCountAndNestedCountsAddUp() {
        Var a = Var.parameter(randn(1, 3, 5));
        Var b = Var.constant(randn(2, 5, 4));
        long[] inner = new long[1];
        long outer = MacCount.of(() -> {
            Ops.matmul(a, b);
            inner[0] = MacCount.of(() -> Ops.matmul(a, b));
            Ops.mean(Ops.matmul(a, b)).backward(); // the backward products are not forward work
        });
        assertEquals(60, inner[0]);
        assertEquals(3 * 60, outer);
        assertEquals(0, MacCount.of(() -> Ops.add(a, a)), "element-wise work is not counted");
    }
}
