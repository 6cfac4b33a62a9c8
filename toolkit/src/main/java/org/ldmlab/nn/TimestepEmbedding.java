package org.ldmlab.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The diffusion timestep as a vector: sinusoidal features (Vaswani et al. 2017, section 3.5; DDPM appendix B)
 * [cos(t f_j), sin(t f_j)], f_j = 10000^(-j / half), followed by Linear -> SiLU -> Linear.
 */
public final class TimestepEmbedding extends Module {
    private final int frequencies;
    private final DataType type;
    private final Linear first;
    private final Linear second;

    public TimestepEmbedding(int dim, long outDim, Init init) {
        this.frequencies = dim / 2;
        this.type = init.dataType();
        this.first = child("linear_1", new Linear(dim, outDim, true, init));
        this.second = child("linear_2", new Linear(outDim, outDim, true, init));
    }

    /** t: one timestep index per sample -> [B, outDim] */
    public Var forward(int[] t) {
        return second.forward(Ops.silu(first.forward(Var.constant(sinusoidal(t, frequencies, type)))));
    }

    /** [B, 2 * half]: cos then sin, as in the LDM code. */
    public static INDArray sinusoidal(int[] t, int half, DataType type) {
        INDArray steps = Nd4j.createFromArray(t).castTo(type).reshape(t.length, 1);
        INDArray freqs = Transforms.exp(Nd4j.arange(0, half).castTo(type)
                .muli(-Math.log(10000.0) / half), false).reshape(1, half);
        INDArray args = steps.mmul(freqs); // [B, half]
        return Nd4j.concat(1, Transforms.cos(args, true), Transforms.sin(args, true));
    }
}
