package org.ldmlab.dit;

import org.ldmlab.nn.Module;
import org.ldmlab.nn.Ops;
import org.ldmlab.nn.Var;

/**
 * One transformer block of a DiT; the siblings differ only in how they read the condition
 * ({@link DiTVariant}): {@link InContextBlock}, {@link CrossAttentionBlock}, {@link AdaLnBlock}, {@link AdaLnZeroBlock}.
 */
public abstract class DiTBlock extends Module {
    /** LayerNorm's epsilon in DiT's blocks. */
    static final double LN_EPS = 1e-6;

    /**
     * @param x       tokens [B, T', d] (T' = T, or more with in-context conditioning)
     * @param c       the condition vector t_emb + y_emb [B, d] (adaLN variants), else null
     * @param context the caption's token vectors [B, M, d_tau] (cross-attention variants), else null
     * @param height  the image token grid's side, for attention maps
     * @return [B, T', d]
     */
    public abstract Var forward(Var x, Var c, Var context, int height, int width);

    /** modulate(x, shift, scale) = x (1 + scale) + shift, with shift and scale [B, d] broadcast over the tokens. */
    static Var modulate(Var x, Var shift, Var scale) {
        long[] s = x.shape();
        Var scaleTokens = Ops.reshape(scale, s[0], 1, s[2]); // [B, 1, d]
        Var shiftTokens = Ops.reshape(shift, s[0], 1, s[2]); // [B, 1, d]
        return Ops.add(Ops.add(x, Ops.mul(x, scaleTokens)), shiftTokens);
    }

    /** The k-th of the d-wide chunks of the modulation vector [B, n d]. */
    static Var chunk(Var modulation, int k, long d) {
        return Ops.slice(modulation, 1, k * d, (k + 1) * d);
    }

    /** gate [B, d] broadcast over the tokens of y [B, T, d]: gate * y. */
    static Var gated(Var gate, Var y) {
        long[] s = y.shape();
        return Ops.mul(Ops.reshape(gate, s[0], 1, s[2]), y);
    }
}
