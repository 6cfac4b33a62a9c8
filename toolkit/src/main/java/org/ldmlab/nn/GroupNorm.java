package org.ldmlab.nn;

/**
 * GroupNorm (Wu and He, 2018): normalise each group of C/G channels over all positions, then scale and
 * shift per channel. x [B, H, W, C] -> same shape.
 */
public final class GroupNorm extends Module {
    private final int groups;
    private final double eps;
    private final Var gamma; // [C]
    private final Var beta;  // [C]

    public GroupNorm(int groups, long channels, Init init) {
        if (channels % groups != 0) {
            throw new IllegalArgumentException(channels + " channels do not split into " + groups + " groups");
        }
        this.groups = groups;
        this.eps = 1e-6; // as LDM's Normalize
        this.gamma = parameter("weight", init.ones(channels));
        this.beta = parameter("bias", init.zeros(channels));
    }

    public Var forward(Var x) {
        long[] s = x.shape(); // [B, H, W, C]
        Var grouped = Ops.reshape(x, s[0], s[1] * s[2], groups, s[3] / groups); // [B, HW, G, C/G]
        Var normalised = Ops.reshape(Ops.normalize(grouped, eps, 1, 3), s);
        return Ops.add(Ops.mul(normalised, gamma), beta);
    }
}
