package org.ldmlab.dit;

import org.ldmlab.nn.Attention;
import org.ldmlab.nn.Init;
import org.ldmlab.nn.LayerNorm;
import org.ldmlab.nn.Linear;
import org.ldmlab.nn.Ops;
import org.ldmlab.nn.Var;

/**
 * The adaLN-Zero block (DiT section 3.2, Figure 3), the paper's best conditioning:
 * <pre>
 *   shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp = Linear(SiLU(c))     [B, d] each
 *   x += gate_msa * Attn(LN(x) (1 + scale_msa) + shift_msa)
 *   x += gate_mlp * MLP(LN(x) (1 + scale_mlp) + shift_mlp)
 * </pre>
 * with c = t_emb + y_emb, LayerNorm without affine (eps 1e-6), and the modulation's linear zero-initialised: every
 * gate starts at 0, so a fresh block is the identity (the cross-attention aside). With {@code contextDim > 0} a pre-LayerNorm cross-attention
 * over the caption's tokens sits between the two, ungated (PixArt-alpha's text-to-image block, Chen et al. 2024,
 * which adds it without a norm; the norm here keeps it like the toolkit's other cross-attention layers).
 */
public final class AdaLnZeroBlock extends DiTBlock {
    private final long dim;
    private final Linear modulation;
    private final LayerNorm norm1;
    private final Attention attention;
    private final LayerNorm crossNorm;       // null without cross-attention
    private final Attention crossAttention;  // null without cross-attention
    private final LayerNorm norm2;
    private final Mlp mlp;

    public AdaLnZeroBlock(long dim, long contextDim, int heads, Init init) {
        this.dim = dim;
        this.modulation = child("adaLN_modulation", Linear.zeroInitialised(dim, 6 * dim, init));
        this.norm1 = child("norm1", new LayerNorm(dim, false, LN_EPS, init));
        this.attention = child("attn", new Attention(dim, dim, heads, false, init));
        this.crossNorm = contextDim > 0 ? child("norm_cross", new LayerNorm(dim, true, LN_EPS, init)) : null;
        this.crossAttention = contextDim > 0 ? child("attn2", new Attention(dim, contextDim, heads, true, init)) : null;
        this.norm2 = child("norm2", new LayerNorm(dim, false, LN_EPS, init));
        this.mlp = child("mlp", new Mlp(dim, init));
    }

    @Override
    public Var forward(Var x, Var c, Var context, int height, int width) {
        Var m = modulation.forward(Ops.silu(c)); // [B, 6d]
        Var msa = attention.forward(modulate(norm1.forward(x), chunk(m, 0, dim), chunk(m, 1, dim)), null, height, width);
        x = Ops.add(x, gated(chunk(m, 2, dim), msa));                                               // [B, T, d]
        if (crossAttention != null) {
            x = Ops.add(x, crossAttention.forward(crossNorm.forward(x), context, height, width));     // [B, T, d]
        }
        Var mlpOut = mlp.forward(modulate(norm2.forward(x), chunk(m, 3, dim), chunk(m, 4, dim)));
        return Ops.add(x, gated(chunk(m, 5, dim), mlpOut));                                          // [B, T, d]
    }
}
