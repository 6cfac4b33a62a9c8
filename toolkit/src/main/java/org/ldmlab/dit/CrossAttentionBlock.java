package org.ldmlab.dit;

import org.ldmlab.nn.Attention;
import org.ldmlab.nn.Init;
import org.ldmlab.nn.LayerNorm;
import org.ldmlab.nn.Ops;
import org.ldmlab.nn.Var;

/**
 * The block of cross-attention conditioning (DiT section 3.2): a cross-attention layer over the condition's
 * tokens after the self-attention, each sub-layer pre-LayerNorm and residual:
 * x += SelfAttn(LN(x)); x += CrossAttn(LN(x), y tokens); x += MLP(LN(x)).
 * Its cross-attention is the toolkit's one {@link Attention}, so attention maps and Prompt-to-Prompt work on it.
 */
public final class CrossAttentionBlock extends DiTBlock {
    private final LayerNorm norm1;
    private final Attention selfAttention;
    private final LayerNorm norm2;
    private final Attention crossAttention;
    private final LayerNorm norm3;
    private final Mlp mlp;

    public CrossAttentionBlock(long dim, long contextDim, int heads, Init init) {
        this.norm1 = child("norm1", new LayerNorm(dim, true, LN_EPS, init));
        this.selfAttention = child("attn", new Attention(dim, dim, heads, false, init));
        this.norm2 = child("norm2", new LayerNorm(dim, true, LN_EPS, init));
        this.crossAttention = child("attn2", new Attention(dim, contextDim, heads, true, init));
        this.norm3 = child("norm3", new LayerNorm(dim, true, LN_EPS, init));
        this.mlp = child("mlp", new Mlp(dim, init));
    }

    @Override
    public Var forward(Var x, Var c, Var context, int height, int width) {
        x = Ops.add(x, selfAttention.forward(norm1.forward(x), null, height, width));      // [B, T, d]
        x = Ops.add(x, crossAttention.forward(norm2.forward(x), context, height, width)); // [B, T, d]
        return Ops.add(x, mlp.forward(norm3.forward(x)));
    }
}
