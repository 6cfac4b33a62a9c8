package org.ldmlab.nn;

import org.ldmlab.attention.AttentionController;
import org.ldmlab.attention.AttentionSite;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Multi-head attention, Attention(Q, K, V) = softmax(Q K^T / sqrt(d)) V (Vaswani et al. 2017, eq. 1).
 * Self-attention takes Q, K and V from the image tokens; cross-attention (LDM, Rombach et al. 2022,
 * section 3.3) takes Q from the image tokens and K, V from the text context tau_theta(y).
 * Q, K and V have no bias, as in the LDM reference code.
 */
public final class Attention extends Module {
    private final String name;
    private final boolean cross;
    private final int heads;
    private final long headDim;
    private final Linear toQ;
    private final Linear toK;
    private final Linear toV;
    private final Linear toOut;
    private AttentionController controller;

    /** @param contextDim width of the context tokens; equal to {@code dim} for self-attention */
    public Attention(String name, long dim, long contextDim, int heads, boolean cross, Init init) {
        if (dim % heads != 0) {
            throw new IllegalArgumentException("width " + dim + " does not split into " + heads + " heads");
        }
        this.name = name;
        this.cross = cross;
        this.heads = heads;
        this.headDim = dim / heads;
        this.toQ = child("to_q", new Linear(dim, dim, false, init));
        this.toK = child("to_k", new Linear(contextDim, dim, false, init));
        this.toV = child("to_v", new Linear(contextDim, dim, false, init));
        this.toOut = child("to_out", new Linear(dim, dim, true, init));
    }

    public void setController(AttentionController controller) {
        this.controller = controller;
    }

    public boolean hasController() {
        return controller != null;
    }

    /**
     * @param x       image tokens [B, N, C]
     * @param context text tokens [B, M, d_tau] for cross-attention; ignored (x is used) for self-attention
     * @param height  query image height (N = height * width), for attention maps
     */
    public Var forward(Var x, Var context, int height, int width) {
        Var source = cross ? context : x;
        long b = x.shape()[0];
        Var q = splitHeads(Ops.scale(toQ.forward(x), 1 / Math.sqrt(headDim))); // [B*h, N, d], pre-scaled by d^-1/2
        Var k = splitHeads(toK.forward(source));                                  // [B*h, M, d]
        Var v = splitHeads(toV.forward(source));                                  // [B*h, M, d]
        Var probs = Ops.softmax(Ops.matmulTransposed(q, k));                      // [B*h, N, M]
        if (controller != null && !probs.requiresGrad()) {
            probs = Var.constant(edited(probs.value(), b, height, width));
        }
        return toOut.forward(mergeHeads(Ops.matmul(probs, v), b));               // [B, N, C]
    }

    private INDArray edited(INDArray probs, long b, int height, int width) {
        long[] s = probs.shape();
        INDArray perHead = probs.reshape(b, heads, s[1], s[2]); // [B, heads, N, M]
        INDArray out = controller.onAttention(new AttentionSite(name, cross, height, width), perHead);
        if (!java.util.Arrays.equals(out.shape(), perHead.shape())) {
            throw new IllegalStateException("attention controller returned shape "
                    + java.util.Arrays.toString(out.shape()) + " for " + name + ", expected "
                    + java.util.Arrays.toString(perHead.shape()));
        }
        return out.reshape(s);
    }

    /** [B, N, h*d] -> [B*h, N, d] */
    private Var splitHeads(Var t) {
        long[] s = t.shape();
        Var perHead = Ops.permute(Ops.reshape(t, s[0], s[1], heads, headDim), 0, 2, 1, 3); // [B, h, N, d]
        return Ops.reshape(perHead, s[0] * heads, s[1], headDim);
    }

    /** [B*h, N, d] -> [B, N, h*d] */
    private Var mergeHeads(Var t, long b) {
        long n = t.shape()[1];
        Var perHead = Ops.permute(Ops.reshape(t, b, heads, n, headDim), 0, 2, 1, 3); // [B, N, h, d]
        return Ops.reshape(perHead, b, n, heads * headDim);
    }
}
