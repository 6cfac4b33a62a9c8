package org.ldmlab.nn;

/**
 * LDM's SpatialTransformer: an image becomes tokens, goes through a transformer block that also attends
 * to the text, and returns as an image added to its input:
 * GroupNorm -> 1x1 conv in -> tokens [B, HW, C] -> TransformerBlock -> 1x1 conv out (zero-initialised) -> + x.
 * The zero-initialised output makes the block start as the identity.
 */
public final class SpatialTransformer extends Module {
    private final GroupNorm norm;
    private final Conv2d projIn;
    private final TransformerBlock block;
    private final Conv2d projOut;

    public SpatialTransformer(long channels, long contextDim, int heads, int groups, Init init) {
        this.norm = child("norm", new GroupNorm(groups, channels, init));
        this.projIn = child("proj_in", Conv2d.pointwise(channels, channels, init));
        this.block = child("block", new TransformerBlock(channels, contextDim, heads, init));
        this.projOut = child("proj_out", Conv2d.pointwise(channels, channels, init).zeroed());
    }

    /** x [B, H, W, C], context [B, M, d_tau] -> [B, H, W, C] */
    public Var forward(Var x, Var context) {
        long[] s = x.shape();
        Var h = projIn.forward(norm.forward(x));
        Var tokens = Ops.reshape(h, s[0], s[1] * s[2], s[3]); // [B, HW, C]
        tokens = block.forward(tokens, context, (int) s[1], (int) s[2]);
        return Ops.add(x, projOut.forward(Ops.reshape(tokens, s)));
    }
}
