package org.ldmlab.dit;

import org.ldmlab.nn.Attention;
import org.ldmlab.nn.Init;
import org.ldmlab.nn.LayerNorm;
import org.ldmlab.nn.Ops;
import org.ldmlab.nn.Var;

/**
 * The block of in-context conditioning (DiT section 3.2): a standard ViT block, since the condition is already in
 * the sequence as extra tokens. Each sub-layer is pre-LayerNorm and residual:
 * x += Attn(LN(x)); x += MLP(LN(x)).
 */
public final class InContextBlock extends DiTBlock {
    private final LayerNorm norm1;
    private final Attention attention;
    private final LayerNorm norm2;
    private final Mlp mlp;

    public InContextBlock(long dim, int heads, Init init) {
        this.norm1 = child("norm1", new LayerNorm(dim, true, LN_EPS, init));
        this.attention = child("attn", new Attention(dim, dim, heads, false, init));
        this.norm2 = child("norm2", new LayerNorm(dim, true, LN_EPS, init));
        this.mlp = child("mlp", new Mlp(dim, init));
    }

    @Override
    public Var forward(Var x, Var c, Var context, int height, int width) {
        x = Ops.add(x, attention.forward(norm1.forward(x), null, height, width)); // [B, T + 1 + M, d]
        return Ops.add(x, mlp.forward(norm2.forward(x)));
    }
}
