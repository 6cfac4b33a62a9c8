package org.ldmlab.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ldmlab.nn.GradCheck;
import org.ldmlab.nn.Init;
import org.ldmlab.nn.Linear;
import org.ldmlab.nn.Ops;
import org.ldmlab.nn.Var;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Adam and the EMA take a fused path for FLOAT on the CPU and the ND4J reference path for DOUBLE: both agree. */
class FusedUpdateTest {
    @Test
    void fusedAdamAndEmaMatchTheReference() {
        Linear fast = new Linear(5, 3, true, new Init(1));
        Linear reference = new Linear(5, 3, true, new Init(1, DataType.DOUBLE));
        Adam fastAdam = new Adam(fast, 0.05, 0.9, 0.999, 1e-8, 0.01);
        Adam referenceAdam = new Adam(reference, 0.05, 0.9, 0.999, 1e-8, 0.01);
        Ema fastEma = new Ema(fast, 0.9);
        Ema referenceEma = new Ema(reference, 0.9);
        INDArray x = GradCheck.randn(4, 6, 5);
        for (int step = 0; step < 4; step++) {
            fastAdam.zeroGrad();
            referenceAdam.zeroGrad();
            Ops.mean(Ops.mul(fast.forward(Var.constant(x.castTo(DataType.FLOAT))), fast.forward(Var.constant(x.castTo(DataType.FLOAT))))).backward();
            Ops.mean(Ops.mul(reference.forward(Var.constant(x)), reference.forward(Var.constant(x)))).backward();
            fastAdam.step();
            referenceAdam.step();
            fastEma.update();
            referenceEma.update();
        }
        fastEma.copyTo(fast);
        referenceEma.copyTo(reference);
        for (String name : fast.parameters().keySet()) {
            INDArray a = fast.parameters().get(name).value().castTo(DataType.DOUBLE);
            INDArray b = reference.parameters().get(name).value();
            assertTrue(a.sub(b).amaxNumber().doubleValue() < 1e-5, name + ": fused " + a + " vs reference " + b);
        }
    }
}
