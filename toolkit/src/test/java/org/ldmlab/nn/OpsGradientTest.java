package org.ldmlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ldmlab.nn.GradCheck.check;
import static org.ldmlab.nn.GradCheck.randn;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Every op's backward rule agrees with finite differences of its forward computation. */
class OpsGradientTest {
    @Test
    void elementwiseWithBroadcasting() {
        check("add [2,3,4]+[4]", v -> Ops.add(v.get(0), v.get(1)), randn(1, 2, 3, 4), randn(2, 4));
        check("add [2,3,4]+[2,1,4]", v -> Ops.add(v.get(0), v.get(1)), randn(1, 2, 3, 4), randn(2, 2, 1, 4));
        check("add x+x", v -> Ops.add(v.get(0), v.get(0)), randn(1, 3, 2));
        check("sub", v -> Ops.sub(v.get(0), v.get(1)), randn(1, 2, 3), randn(2, 1, 3));
        check("mul [2,3,4]*[2,1,4]", v -> Ops.mul(v.get(0), v.get(1)), randn(1, 2, 3, 4), randn(2, 2, 1, 4));
        check("scale", v -> Ops.scale(v.get(0), -2.5), randn(1, 5));
    }

    @Test
    void activations() {
        check("silu", v -> Ops.silu(v.get(0)), randn(3, 2, 7));
        check("gelu", v -> Ops.gelu(v.get(0)), randn(4, 2, 7));
        check("softmax", v -> Ops.softmax(v.get(0)), randn(5, 2, 3, 6));
        check("exp", v -> Ops.exp(v.get(0)), randn(6, 3, 4));
        // values near the bounds would make the finite difference straddle the kink; these are not
        check("clamp", v -> Ops.clamp(v.get(0), -0.5, 0.5),
                org.nd4j.linalg.factory.Nd4j.createFromArray(new double[] {-1.2, -0.3, 0.1, 0.45, 0.9, 2.0}));
    }

    @Test
    void matrixProducts() {
        check("matmul 2d", v -> Ops.matmul(v.get(0), v.get(1)), randn(1, 4, 3), randn(2, 3, 5));
        check("matmul batched", v -> Ops.matmul(v.get(0), v.get(1)), randn(1, 2, 4, 3), randn(2, 2, 3, 5));
        check("matmul a b^T", v -> Ops.matmulTransposed(v.get(0), v.get(1)), randn(1, 2, 4, 3), randn(2, 2, 5, 3));
    }

    @Test
    void shapes() {
        check("reshape", v -> Ops.reshape(v.get(0), 3, 4), randn(1, 2, 6));
        check("permute", v -> Ops.permute(v.get(0), 2, 0, 1), randn(1, 2, 3, 4));
        check("concat", v -> Ops.concat(2, v.get(0), v.get(1)), randn(1, 2, 3, 2), randn(2, 2, 3, 3));
        check("slice", v -> Ops.slice(v.get(0), 1, 2, 5), randn(1, 2, 6));
    }

    @Test
    void normalisation() {
        check("layer norm", v -> Ops.normalize(v.get(0), 1e-5, 2), randn(1, 2, 3, 5));
        // group norm on [B, HW, G, C/G]: statistics over positions and the channels of a group
        check("group norm", v -> Ops.normalize(v.get(0), 1e-5, 1, 3), randn(2, 2, 4, 2, 3));
    }

    @Test
    void convolutionAndResampling() {
        check("conv 3x3 pad 1", v -> Ops.conv2d(v.get(0), v.get(1), 3, 1, 1), randn(1, 2, 4, 4, 2), randn(2, 18, 3));
        check("conv 3x3 stride 2", v -> Ops.conv2d(v.get(0), v.get(1), 3, 2, 1), randn(1, 1, 5, 5, 2), randn(2, 18, 2));
        check("conv 1x1", v -> Ops.conv2d(v.get(0), v.get(1), 1, 1, 0), randn(1, 2, 3, 3, 2), randn(2, 2, 4));
        check("upsample 2x", v -> Ops.upsample2x(v.get(0)), randn(1, 2, 2, 3, 2));
    }

    @Test
    void losses() {
        check("mean", v -> Ops.mean(v.get(0)), randn(1, 3, 4));
        INDArray target = randn(7, 3, 4);
        check("mse", v -> Ops.mse(v.get(0), target), randn(1, 3, 4));
        INDArray weights = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[] {0.2, 1, 3}).reshape(3, 1); // [B, 1]
        check("weighted mse", v -> Ops.weightedMse(v.get(0), target, weights), randn(1, 3, 4));
        // rows 0 and 2 one-hot, row 1 all zero (an example with no label for this head)
        INDArray oneHot = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{0, 1, 0, 0}, {0, 0, 0, 0}, {1, 0, 0, 0}});
        check("softmax cross-entropy", v -> Ops.softmaxCrossEntropy(v.get(0), oneHot), randn(8, 3, 4).muli(3));
    }

    @Test
    void weightedMseWeighsEachSampleAndIsMseWithUnitWeights() {
        INDArray pred = randn(3, 2, 5);
        INDArray target = randn(4, 2, 5);
        INDArray ones = org.nd4j.linalg.factory.Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 2, 1);
        assertEquals(Ops.mse(Var.constant(pred), target).value().getDouble(0),
                Ops.weightedMse(Var.constant(pred), target, ones).value().getDouble(0), 1e-12);
        INDArray diff = pred.sub(target);
        double row0 = diff.getRow(0).mul(diff.getRow(0)).sumNumber().doubleValue();
        double row1 = diff.getRow(1).mul(diff.getRow(1)).sumNumber().doubleValue();
        INDArray weights = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[] {0.5, 2}).reshape(2, 1);
        assertEquals((0.5 * row0 + 2 * row1) / 10, Ops.weightedMse(Var.constant(pred), target, weights).value().getDouble(0), 1e-12);
    }

    @Test
    void softmaxCrossEntropyIsMinusMeanLogProbabilityOfTheLabel() {
        INDArray logits = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{1000, 0}, {0, Math.log(3)}});
        INDArray oneHot = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{1, 0}, {1, 0}});
        double expected = (0 + Math.log(4)) / 2; // row 0: p = 1 despite the huge logit; row 1: p = 1/4
        assertEquals(expected, Ops.softmaxCrossEntropy(Var.constant(logits), oneHot).value().getDouble(0), 1e-12);
    }

    @Test
    void theCheckerCatchesAWrongBackwardRule() {
        // x^2 with a backward rule of x instead of 2x
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> check("wrong square",
                v -> Var.of(v.get(0).value().mul(v.get(0).value()), g -> v.get(0).accumulate(g.mul(v.get(0).value())), v.get(0)),
                randn(1, 4)));
        assertTrue(e.getMessage().contains("analytic"), e.getMessage());
    }

    @Test
    void constantsRecordNothing() {
        Var y = Ops.silu(Ops.add(Var.constant(randn(1, 3)), Var.constant(randn(2, 3))));
        assertFalse(y.requiresGrad());
        Var p = Var.parameter(randn(3, 3));
        Ops.mean(Ops.mul(p, Var.constant(randn(4, 3)))).backward();
        assertEquals(3, p.grad().length());
        p.zeroGrad();
        assertNull(p.grad());
    }
}
