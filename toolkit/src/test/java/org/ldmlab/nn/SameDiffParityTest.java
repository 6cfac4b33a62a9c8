package org.ldmlab.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The toolkit trains with its own autodiff (Var, Ops) instead of SameDiff. This test builds one attention
 * head followed by LayerNorm and GELU both ways, on the same weights, and checks that ND4J's own autodiff
 * agrees with ours on the output and on every gradient:
 * y = GELU(LN(softmax((x Wq)(x Wk)^T / sqrt(d)) (x Wv))), loss = mean(y * r).
 */
class SameDiffParityTest {
    @Test
    void ourAutodiffAgreesWithSameDiffOnAnAttentionBlock() {
        INDArray x = GradCheck.randn(1, 2, 5, 8);   // [B, N, C]
        INDArray wq = GradCheck.randn(2, 8, 8).muli(0.3);
        INDArray wk = GradCheck.randn(3, 8, 8).muli(0.3);
        INDArray wv = GradCheck.randn(4, 8, 8).muli(0.3);
        INDArray r = GradCheck.randn(5, 2, 5, 8);

        // ours
        Var vx = Var.parameter(x), vq = Var.parameter(wq), vk = Var.parameter(wk), vv = Var.parameter(wv);
        Var q = Ops.matmul(Ops.reshape(vx, 10, 8), vq);
        Var k = Ops.matmul(Ops.reshape(vx, 10, 8), vk);
        Var v = Ops.matmul(Ops.reshape(vx, 10, 8), vv);
        Var probs = Ops.softmax(Ops.scale(Ops.matmulTransposed(Ops.reshape(q, 2, 5, 8), Ops.reshape(k, 2, 5, 8)), 1 / Math.sqrt(8)));
        Var y = Ops.gelu(Ops.normalize(Ops.matmul(probs, Ops.reshape(v, 2, 5, 8)), 1e-5, 2));
        Var loss = Ops.mean(Ops.mul(y, Var.constant(r)));
        loss.backward();

        // SameDiff, the same computation
        SameDiff sd = SameDiff.create();
        SDVariable sx = sd.var("x", x), sq = sd.var("wq", wq), sk = sd.var("wk", wk), sv = sd.var("wv", wv);
        SDVariable flat = sx.reshape(10, 8);
        SDVariable tq = flat.mmul(sq).reshape(2, 5, 8);
        SDVariable tk = flat.mmul(sk).reshape(2, 5, 8);
        SDVariable tv = flat.mmul(sv).reshape(2, 5, 8);
        SDVariable scores = sd.mmul(tq, tk, false, true, false).mul(1 / Math.sqrt(8));
        SDVariable attended = sd.mmul(sd.nn().softmax(scores, 2), tv);
        SDVariable mean = attended.mean(true, 2);
        SDVariable centred = attended.sub(mean);
        SDVariable normed = centred.div(sd.math().sqrt(centred.mul(centred).mean(true, 2).add(1e-5)));
        // exact GELU, x Phi(x) with Phi(x) = (1 + erf(x / sqrt 2)) / 2: SameDiff's own gelu op is an approximation
        SDVariable out = normed.mul(sd.math().erf(normed.mul(Math.sqrt(0.5))).add(1.0).mul(0.5));
        SDVariable sLoss = out.mul(sd.constant(r)).mean();
        sLoss.markAsLoss();
        Map<String, INDArray> grads;
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream())); // SameDiff prints every op it differentiates
        try {
            grads = sd.calculateGradients(Map.of(), "x", "wq", "wk", "wv");
        } finally {
            System.setOut(stdout);
        }

        for (String[] c : new String[][] {{"x"}, {"wq"}, {"wk"}, {"wv"}}) {
            Var ours = Map.of("x", vx, "wq", vq, "wk", vk, "wv", vv).get(c[0]);
            assertClose("d loss / d " + c[0], grads.get(c[0]), ours.grad());
        }
        assertClose("output", out.eval(), y.value());
    }

    /** Equal up to 1e-4 of the largest magnitude (the inputs are DOUBLE, so both sides are near-exact). */
    private static void assertClose(String what, INDArray expected, INDArray actual) {
        double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        double scale = expected.amaxNumber().doubleValue();
        assertTrue(diff <= 1e-4 * scale, what + ": SameDiff and Var differ by " + diff + " (largest value " + scale + ")");
    }
}
