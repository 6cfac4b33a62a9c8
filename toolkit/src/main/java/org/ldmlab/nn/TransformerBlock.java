package org.ldmlab.nn;

/**
 * LDM's basic transformer block on image tokens, each sub-layer pre-LayerNorm and residual:
 * x += SelfAttn(LN(x)); x += CrossAttn(LN(x), context); x += FF(LN(x)).
 * With no context (contextDim 0, a concat-only model) the cross-attention sub-layer is left out.
 */
public final class TransformerBlock extends Module {
    private final LayerNorm norm1;
    private final Attention selfAttention;
    private final LayerNorm norm2;
    private final Attention crossAttention;
    private final LayerNorm norm3;
    private final FeedForward feedForward;

    public TransformerBlock(long dim, long contextDim, int heads, Init init) {
        this.norm1 = child("norm1", new LayerNorm(dim, init));
        this.selfAttention = child("attn1", new Attention(dim, dim, heads, false, init));
        this.norm2 = contextDim > 0 ? child("norm2", new LayerNorm(dim, init)) : null;
        this.crossAttention = contextDim > 0
                ? child("attn2", new Attention(dim, contextDim, heads, true, init)) : null;
        this.norm3 = child("norm3", new LayerNorm(dim, init));
        this.feedForward = child("ff", new FeedForward(dim, init));
    }

    /** x [B, HW, C], context [B, M, d_tau] -> [B, HW, C] */
    public Var forward(Var x, Var context, int height, int width) {
        x = Ops.add(x, selfAttention.forward(norm1.forward(x), null, height, width));
        if (crossAttention != null) {
            x = Ops.add(x, crossAttention.forward(norm2.forward(x), context, height, width));
        }
        return Ops.add(x, feedForward.forward(norm3.forward(x)));
    }
}
