package org.ldmlab.nn;

/** LayerNorm (Ba et al., 2016) over the last dimension, with or without the per-feature affine map. */
public final class LayerNorm extends Module {
    private final double eps;
    private final Var gamma; // [D] or null
    private final Var beta;  // [D] or null

    public LayerNorm(long dim, boolean affine, double eps, Init init) {
        this.eps = eps;
        this.gamma = affine ? parameter("weight", init.ones(dim)) : null;
        this.beta = affine ? parameter("bias", init.zeros(dim)) : null;
    }

    /** The usual LayerNorm with a learnt scale and shift, eps 1e-5. */
    public LayerNorm(long dim, Init init) {
        this(dim, true, 1e-5, init);
    }

    public Var forward(Var x) {
        Var y = Ops.normalize(x, eps, x.value().rank() - 1);
        return gamma == null ? y : Ops.add(Ops.mul(y, gamma), beta);
    }
}
