package org.ldmlab.dit;

import org.ldmlab.nn.Init;
import org.ldmlab.nn.Linear;
import org.ldmlab.nn.Module;
import org.ldmlab.nn.Ops;
import org.ldmlab.nn.Var;

/**
 * The transformer MLP of a DiT block: Linear(d, 4d) -> GELU -> Linear(4d, d). (The reference code uses GELU's
 * tanh approximation; this is the exact GELU, which the approximation was made to follow.)
 */
public final class Mlp extends Module {
    private final Linear fc1;
    private final Linear fc2;

    public Mlp(long dim, Init init) {
        this.fc1 = child("fc1", new Linear(dim, DiTConfig.MLP_RATIO * dim, true, init));
        this.fc2 = child("fc2", new Linear(DiTConfig.MLP_RATIO * dim, dim, true, init));
    }

    /** [B, T, d] -> [B, T, d] */
    public Var forward(Var x) {
        return fc2.forward(Ops.gelu(fc1.forward(x)));
    }
}
