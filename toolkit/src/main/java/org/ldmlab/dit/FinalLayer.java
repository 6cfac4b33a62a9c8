package org.ldmlab.dit;

import org.ldmlab.nn.Init;
import org.ldmlab.nn.LayerNorm;
import org.ldmlab.nn.Linear;
import org.ldmlab.nn.Module;
import org.ldmlab.nn.Ops;
import org.ldmlab.nn.Var;

/**
 * DiT's last layer (section 3.2, "Transformer decoder"): a LayerNorm, modulated by c for the adaLN variants
 * (shift, scale = Linear(SiLU(c)), zero-initialised), then a zero-initialised linear from d to p*p*C' per token,
 * so a fresh model predicts 0. For in-context and cross-attention conditioning the LayerNorm is an ordinary one:
 * their condition does not enter by modulation anywhere (the paper's code modulates here in every model; it only
 * published adaLN-Zero).
 */
public final class FinalLayer extends Module {
    private final long dim;
    private final LayerNorm norm;
    private final Linear modulation; // null when not modulated
    private final Linear linear;

    public FinalLayer(long dim, long outPerToken, boolean modulated, Init init) {
        this.dim = dim;
        this.norm = child("norm_final", new LayerNorm(dim, !modulated, DiTBlock.LN_EPS, init));
        this.modulation = modulated ? child("adaLN_modulation", Linear.zeroInitialised(dim, 2 * dim, init)) : null;
        this.linear = child("linear", Linear.zeroInitialised(dim, outPerToken, init));
    }

    /** x [B, T, d], c [B, d] or null -> [B, T, p*p*C'] */
    public Var forward(Var x, Var c) {
        Var h = norm.forward(x);
        if (modulation != null) {
            Var m = modulation.forward(Ops.silu(c)); // [B, 2d]
            h = DiTBlock.modulate(h, DiTBlock.chunk(m, 0, dim), DiTBlock.chunk(m, 1, dim));
        }
        return linear.forward(h);
    }
}
