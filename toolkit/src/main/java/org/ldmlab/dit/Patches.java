package org.ldmlab.dit;

import org.ldmlab.nn.Ops;
import org.ldmlab.nn.Var;

/**
 * DiT's "patchify" and its inverse (Peebles and Xie 2023, Figure 4): a latent I x I x C cut into T = (I / p)^2
 * patches of p x p x C values each, row by row, and back. (The linear embedding of each patch is a separate layer.)
 */
public final class Patches {
    private Patches() {}

    /** [B, I, I, C] -> [B, T, p*p*C], patches in row-major order, each patch's values as (dy, dx, c). */
    public static Var patchify(Var z, int p) {
        long[] s = z.shape();
        long b = s[0];
        long g = s[1] / p;
        long c = s[3];
        Var grid = Ops.reshape(z, b, g, p, g, p, c);        // [B, gy, dy, gx, dx, C]
        Var patches = Ops.permute(grid, 0, 1, 3, 2, 4, 5);   // [B, gy, gx, dy, dx, C]
        return Ops.reshape(patches, b, g * g, (long) p * p * c); // [B, T, p*p*C]
    }

    /** [B, T, p*p*C] -> [B, I, I, C], the inverse of {@link #patchify}. */
    public static Var unpatchify(Var x, int p, long channels) {
        long[] s = x.shape();
        long b = s[0];
        long g = Math.round(Math.sqrt(s[1]));
        Var patches = Ops.reshape(x, b, g, g, p, p, channels); // [B, gy, gx, dy, dx, C]
        Var grid = Ops.permute(patches, 0, 1, 3, 2, 4, 5);     // [B, gy, dy, gx, dx, C]
        return Ops.reshape(grid, b, g * p, g * p, channels);   // [B, I, I, C]
    }
}
