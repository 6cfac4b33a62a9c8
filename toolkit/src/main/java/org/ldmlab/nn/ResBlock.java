package org.ldmlab.nn;

/**
 * The residual block of the diffusion UNet (DDPM / LDM): two GroupNorm-SiLU-conv stages with the timestep
 * embedding added between them, and a 1x1 conv on the skip path when the width changes:
 * h = conv1(SiLU(GN(x))) + Linear(SiLU(emb)); h = conv2(SiLU(GN(h))); out = skip(x) + h.
 * conv2 starts at zero, so the block starts as (a projection of) the identity.
 */
public final class ResBlock extends Module {
    private final GroupNorm norm1;
    private final Conv2d conv1;
    private final Linear embProjection; // null when the block takes no timestep (the autoencoder)
    private final GroupNorm norm2;
    private final Conv2d conv2;
    private final Conv2d skip;          // null when cin == cout

    /** @param embDim width of the timestep embedding, or 0 for a block without one */
    public ResBlock(long cin, long cout, long embDim, int groups, Init init) {
        this.norm1 = child("norm1", new GroupNorm(groups, cin, init));
        this.conv1 = child("conv1", Conv2d.same3x3(cin, cout, init));
        this.embProjection = embDim > 0 ? child("emb_proj", new Linear(embDim, cout, true, init)) : null;
        this.norm2 = child("norm2", new GroupNorm(groups, cout, init));
        this.conv2 = child("conv2", Conv2d.same3x3(cout, cout, init).zeroed());
        this.skip = cin == cout ? null : child("skip", Conv2d.pointwise(cin, cout, init));
    }

    /** x [B, H, W, Cin], emb [B, E] (or null) -> [B, H, W, Cout] */
    public Var forward(Var x, Var emb) {
        Var h = conv1.forward(Ops.silu(norm1.forward(x)));
        if (embProjection != null) {
            Var e = embProjection.forward(Ops.silu(emb)); // [B, Cout]
            h = Ops.add(h, Ops.reshape(e, e.shape()[0], 1, 1, e.shape()[1]));
        }
        h = conv2.forward(Ops.silu(norm2.forward(h)));
        return Ops.add(skip == null ? x : skip.forward(x), h);
    }
}
