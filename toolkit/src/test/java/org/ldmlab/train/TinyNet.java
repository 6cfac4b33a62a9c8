package org.ldmlab.train;

import org.ldmlab.nn.Init;
import org.ldmlab.nn.Linear;
import org.ldmlab.nn.Module;
import org.ldmlab.nn.Ops;
import org.ldmlab.nn.Var;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A perceptron 3 -> width -> 1 that learns y = (x0 + x1 + x2) / 2: trains in milliseconds. */
final class TinyNet extends Module {
    private final Linear hidden;
    private final Linear out;

    TinyNet(long initSeed, int width) {
        Init init = new Init(initSeed);
        hidden = child("hidden", new Linear(3, width, true, init));
        out = child("out", new Linear(width, 1, true, init));
    }

    Var forward(Var x) {
        return out.forward(Ops.silu(hidden.forward(x)));
    }

    /** The mean squared error on step {@code step}'s batch, which depends on (runSeed, step) only. */
    Var loss(long runSeed, long step) {
        return loss(runSeed, step, Shard.WHOLE);
    }

    /** The same, on one shard of the batch of 16. */
    Var loss(long runSeed, long step, Shard shard) {
        return loss(shard.of(batch(runSeed, step)));
    }

    /** Step {@code step}'s inputs [16, 3]. */
    static INDArray batch(long runSeed, long step) {
        return new Init(StepSeed.of(runSeed, step)).normal(1, 16, 3);
    }

    /** The mean squared error on inputs x [n, 3]. */
    Var loss(INDArray x) {
        INDArray y = x.sum(true, 1).muli(0.5);
        return Ops.mse(forward(Var.constant(x)), y);
    }
}
