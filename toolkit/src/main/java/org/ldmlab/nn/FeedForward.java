package org.ldmlab.nn;

/**
 * The transformer feed-forward with a GEGLU gate (Shazeer 2020), as in LDM's spatial transformer:
 * [a, g] = x W1 + b1;  y = (a * GELU(g)) W2 + b2, with inner width 4C.
 */
public final class FeedForward extends Module {
    private final Linear proj;
    private final Linear out;
    private final long inner;

    public FeedForward(long dim, Init init) {
        this.inner = 4 * dim;
        this.proj = child("proj", new Linear(dim, 2 * inner, true, init));
        this.out = child("out", new Linear(inner, dim, true, init));
    }

    public Var forward(Var x) {
        Var h = proj.forward(x); // [..., 2 * inner]
        int last = x.value().rank() - 1;
        Var a = Ops.slice(h, last, 0, inner);
        Var gate = Ops.slice(h, last, inner, 2 * inner);
        return out.forward(Ops.mul(a, Ops.gelu(gate)));
    }
}
