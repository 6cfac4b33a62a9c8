package org.ldmlab.nn;

/** A 2-D convolution on channels-last images, x [B, H, W, Cin] -> [B, Ho, Wo, Cout]. */
public final class Conv2d extends Module {
    private final Var weight; // [k*k*Cin, Cout], rows ordered (dy, dx, cin)
    private final Var bias;   // [Cout]
    private final int kernel;
    private final int stride;
    private final int padding;

    public Conv2d(long cin, long cout, int kernel, int stride, int padding, Init init) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        double bound = 1 / Math.sqrt((double) kernel * kernel * cin);
        this.weight = parameter("weight", init.uniform(bound, (long) kernel * kernel * cin, cout));
        this.bias = parameter("bias", init.uniform(bound, cout));
    }

    /** 3x3, stride 1, "same" padding: the workhorse of ResBlocks. */
    public static Conv2d same3x3(long cin, long cout, Init init) {
        return new Conv2d(cin, cout, 3, 1, 1, init);
    }

    public static Conv2d pointwise(long cin, long cout, Init init) {
        return new Conv2d(cin, cout, 1, 1, 0, init);
    }

    /** Starts as the zero map, so a residual branch ending in it starts as the identity (LDM's zero_module). */
    public Conv2d zeroed() {
        weight.value().assign(0);
        bias.value().assign(0);
        return this;
    }

    public Var forward(Var x) {
        return Ops.add(Ops.conv2d(x, weight, kernel, stride, padding), bias);
    }
}
