package org.ldmlab.nn;

/** y = x W + b over the last dimension: x [..., in] -> [..., out]. */
public final class Linear extends Module {
    private final Var weight; // [in, out]
    private final Var bias;   // [out], or null
    private final long out;

    public Linear(long in, long out, boolean bias, Init init) {
        this.out = out;
        this.weight = parameter("weight", init.uniform(1 / Math.sqrt(in), in, out));
        this.bias = bias ? parameter("bias", init.uniform(1 / Math.sqrt(in), out)) : null;
    }

    /** A linear layer whose weights and bias start at zero (adaLN-Zero, zero-initialised output layers). */
    public static Linear zeroInitialised(long in, long out, Init init) {
        Linear l = new Linear(in, out, true, init);
        l.weight.value().assign(0);
        l.bias.value().assign(0);
        return l;
    }

    public Var forward(Var x) {
        long[] s = x.shape();
        long rows = x.value().length() / s[s.length - 1];
        Var y = Ops.matmul(Ops.reshape(x, rows, s[s.length - 1]), weight); // [rows, out]
        if (bias != null) {
            y = Ops.add(y, bias);
        }
        long[] outShape = s.clone();
        outShape[s.length - 1] = out;
        return Ops.reshape(y, outShape);
    }
}
