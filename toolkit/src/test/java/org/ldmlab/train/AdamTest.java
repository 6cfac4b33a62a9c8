package org.ldmlab.train;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ldmlab.train.Tensors.assertSameParameters;

import org.junit.jupiter.api.Test;
import org.ldmlab.checkpoint.Checkpoint;
import org.ldmlab.checkpoint.CheckpointBuilder;
import org.ldmlab.nn.Init;
import org.ldmlab.nn.Module;
import org.ldmlab.nn.Ops;
import org.ldmlab.nn.Var;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AdamTest {
    private static final double B1 = 0.9;
    private static final double B2 = 0.999;
    private static final double EPS = 1e-8;

    @Test
    void twoStepsMatchAlgorithm1ByHand() {
        checkAgainstHand(0.1, 0);
    }

    @Test
    void decoupledWeightDecayShrinksTheWeightsBeforeTheAdamStep() {
        checkAgainstHand(0.1, 0.5);
    }

    /** Two updates of p = (1, -2) with gradients (0.5, -3) then (-1, 0.25), against Kingma & Ba, Algorithm 1. */
    private static void checkAgainstHand(double lr, double weightDecay) {
        double[][] gradients = {{0.5, -3}, {-1, 0.25}};
        double[] p = {1, -2};
        double[] m = new double[2];
        double[] v = new double[2];
        Point point = new Point(1, -2);
        Adam adam = new Adam(point, lr, B1, B2, EPS, weightDecay);
        for (int t = 1; t <= 2; t++) {
            double[] g = gradients[t - 1];
            for (int i = 0; i < 2; i++) {
                m[i] = B1 * m[i] + (1 - B1) * g[i];
                v[i] = B2 * v[i] + (1 - B2) * g[i] * g[i];
                double mHat = m[i] / (1 - Math.pow(B1, t));
                double vHat = v[i] / (1 - Math.pow(B2, t));
                p[i] -= lr * (mHat / (Math.sqrt(vHat) + EPS) + weightDecay * p[i]);
            }
            setGradient(point, adam, g);
            adam.step();
            assertEquals(t, adam.steps());
            assertEquals(p[0], point.get(0), 1e-6, "p[0] after step " + t);
            assertEquals(p[1], point.get(1), 1e-6, "p[1] after step " + t);
        }
    }

    @Test
    void theLossOfAQuadraticFalls() {
        Point point = new Point(new Init(1).normal(3, 10).data().asFloat());
        INDArray target = new Init(2).normal(1, 10);
        Adam adam = new Adam(point, 0.05);
        double first = Double.NaN;
        double loss = Double.NaN;
        for (int step = 0; step < 300; step++) {
            adam.zeroGrad();
            Var l = Ops.mse(point.p, target);
            loss = l.value().getDouble(0);
            first = step == 0 ? loss : first;
            l.backward();
            adam.step();
        }
        assertTrue(loss < first / 1000, "loss " + first + " -> " + loss);
    }

    @Test
    void aParameterWithoutGradientIsLeftAlone() {
        TwoPoints two = new TwoPoints();
        Adam adam = new Adam(two, 0.1);
        Ops.mean(two.a.p).backward();
        adam.step();
        assertTrue(two.a.get(0) < 1);
        assertEquals(1f, two.b.get(0));
    }

    @Test
    void clippingScalesAllGradientsToTheMaximumNorm() {
        TwoPoints two = new TwoPoints();
        Adam adam = new Adam(two, 0.1);
        Ops.add(Ops.scale(Ops.mean(two.a.p), 3), Ops.scale(Ops.mean(two.b.p), 4)).backward(); // gradients 3, 4: norm 5
        assertEquals(5, adam.clipGradNorm(10), 1e-6);
        assertEquals(3f, two.a.p.grad().getFloat(0), "under the maximum: unchanged");
        assertEquals(5, adam.clipGradNorm(1), 1e-6);
        assertEquals(0.6f, two.a.p.grad().getFloat(0), 1e-6);
        assertEquals(0.8f, two.b.p.grad().getFloat(0), 1e-6);
    }

    @Test
    void theLearningRateCanChangeBetweenSteps() {
        Point point = new Point(1, 1);
        Adam adam = new Adam(point, 0.1);
        adam.setLearningRate(0);
        setGradient(point, adam, 1, 1);
        adam.step();
        assertArrayEquals(new float[] {1, 1}, point.p.value().data().asFloat());
        assertEquals(0, adam.learningRate());
    }

    @Test
    void restoredStateContinuesExactly() {
        Point a = new Point(1, -2, 3);
        Adam adamA = new Adam(a, 0.1);
        for (int i = 0; i < 3; i++) {
            setGradient(a, adamA, i, -1, 2 * i);
            adamA.step();
        }
        CheckpointBuilder saved = Checkpoint.builder("test").module(Checkpoint.MODEL, a);
        adamA.saveTo(saved);
        Checkpoint checkpoint = saved.build();

        Point b = new Point(0, 0, 0);
        checkpoint.loadInto(b, Checkpoint.MODEL);
        Adam adamB = new Adam(b, 0.1);
        adamB.restoreFrom(checkpoint);
        assertEquals(3, adamB.steps());
        setGradient(a, adamA, 0.5, 0.5, 0.5);
        setGradient(b, adamB, 0.5, 0.5, 0.5);
        adamA.step();
        adamB.step();
        assertSameParameters(a, b);
    }

    /** Gives the point's parameter the gradient {@code g} through a loss, as training would. */
    private static void setGradient(Point point, Adam adam, double... g) {
        adam.zeroGrad();
        INDArray c = Nd4j.create(g, new long[] {g.length}, DataType.FLOAT).muli(g.length); // d mean(c p)/dp = c / n
        Ops.mean(Ops.mul(point.p, Var.constant(c))).backward();
    }

    private static final class TwoPoints extends Module {
        final Point a = child("a", new Point(1));
        final Point b = child("b", new Point(1));
    }
}
