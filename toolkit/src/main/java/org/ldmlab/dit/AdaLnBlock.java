package org.ldmlab.dit;

import org.ldmlab.nn.Attention;
import org.ldmlab.nn.Init;
import org.ldmlab.nn.LayerNorm;
import org.ldmlab.nn.Linear;
import org.ldmlab.nn.Ops;
import org.ldmlab.nn.Var;

/**
 * The adaptive LayerNorm block (DiT section 3.2, after FiLM and StyleGAN): the LayerNorms have no learnt scale and
 * shift; they are regressed from the condition c = t_emb + y_emb instead, the same for every token:
 * <pre>
 *   shift1, scale1, shift2, scale2 = Linear(SiLU(c))                  [B, d] each
 *   x += Attn(LN(x) (1 + scale1) + shift1)
 *   x += MLP(LN(x) (1 + scale2) + shift2)
 * </pre>
 * No gates and an ordinary initialisation: this is the variant adaLN-Zero ({@link AdaLnZeroBlock}) improves on.
 */
public final class AdaLnBlock extends DiTBlock {
    private final long dim;
    private final Linear modulation;
    private final LayerNorm norm1;
    private final Attention attention;
    private final LayerNorm norm2;
    private final Mlp mlp;

    public AdaLnBlock(long dim, int heads, Init init) {
        this.dim = dim;
        this.modulation = child("adaLN_modulation", new Linear(dim, 4 * dim, true, init));
        this.norm1 = child("norm1", new LayerNorm(dim, false, LN_EPS, init));
        this.attention = child("attn", new Attention(dim, dim, heads, false, init));
        this.norm2 = child("norm2", new LayerNorm(dim, false, LN_EPS, init));
        this.mlp = child("mlp", new Mlp(dim, init));
    }

    @Override
    public Var forward(Var x, Var c, Var context, int height, int width) {
        Var m = modulation.forward(Ops.silu(c)); // [B, 4d]
        x = Ops.add(x, attention.forward(modulate(norm1.forward(x), chunk(m, 0, dim), chunk(m, 1, dim)), null, height, width));
        return Ops.add(x, mlp.forward(modulate(norm2.forward(x), chunk(m, 2, dim), chunk(m, 3, dim)))); // [B, T, d]
    }
}
