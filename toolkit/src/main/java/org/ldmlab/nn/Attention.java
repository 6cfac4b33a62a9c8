package org.ldmlab.nn;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Multi-head attention, Attention(Q, K, V) = softmax(Q K^T / sqrt(d) + M) V (Vaswani et al. 2017, eq. 1), with an
 * optional additive mask M (0 where a query may look, a large negative number where it may not).
 * Self-attention takes Q, K and V from the image tokens; cross-attention (LDM, Rombach et al. 2022,
 * section 3.3) takes Q from the image tokens and K, V from the text context tau_theta(y).
 * Q, K and V have no bias, as in the LDM reference code.
 *
 * <p>The one place where attention probabilities can be seen and edited (Prompt-to-Prompt's hook, Hertz et al.
 * 2022, section 3): a {@link ProbabilityHook}, installed by {@code attention.AttentionSites}, gets the
 * probabilities right after the softmax, when no gradient is being recorded.
 */
public final class Attention extends Module {
    /** Sees and may replace the probabilities [B, heads, Nq, Nk] of one call; returns the same shape. */
    @FunctionalInterface
    public interface ProbabilityHook {
        INDArray apply(INDArray probs, int height, int width);
    }

    private final boolean cross;
    private final int heads;
    private final long headDim;
    private final Linear toQ;
    private final Linear toK;
    private final Linear toV;
    private final Linear toOut;
    private ProbabilityHook hook;

    /** @param contextDim width of the context tokens; equal to {@code dim} for self-attention */
    public Attention(long dim, long contextDim, int heads, boolean cross, Init init) {
        if (dim % heads != 0) {
            throw new IllegalArgumentException("width " + dim + " does not split into " + heads + " heads");
        }
        this.cross = cross;
        this.heads = heads;
        this.headDim = dim / heads;
        this.toQ = child("to_q", new Linear(dim, dim, false, init));
        this.toK = child("to_k", new Linear(contextDim, dim, false, init));
        this.toV = child("to_v", new Linear(contextDim, dim, false, init));
        this.toOut = child("to_out", new Linear(dim, dim, true, init));
    }

    public boolean cross() {
        return cross;
    }

    public int heads() {
        return heads;
    }

    /** Installs (or, with null, removes) the hook after the softmax. */
    public void hook(ProbabilityHook hook) {
        this.hook = hook;
    }

    public boolean hooked() {
        return hook != null;
    }

    /**
     * @param x       image tokens [B, N, C]
     * @param context text tokens [B, M, d_tau] for cross-attention; ignored (x is used) for self-attention
     * @param height  query image height (N = height * width), for attention maps
     */
    public Var forward(Var x, Var context, int height, int width) {
        return forward(x, context, null, height, width);
    }

    /** As above, with an additive mask [N, M] broadcast over batch and heads (null: none). */
    public Var forward(Var x, Var context, INDArray mask, int height, int width) {
        Var source = cross ? context : x;
        long b = x.shape()[0];
        Var q = splitHeads(Ops.scale(toQ.forward(x), 1 / Math.sqrt(headDim))); // [B*h, N, d], pre-scaled by d^-1/2
        Var k = splitHeads(toK.forward(source));                                  // [B*h, M, d]
        Var v = splitHeads(toV.forward(source));                                  // [B*h, M, d]
        Var scores = Ops.matmulTransposed(q, k);                                  // [B*h, N, M]
        Var probs = Ops.softmax(mask == null ? scores : Ops.add(scores, Var.constant(mask)));
        if (hook != null && !probs.requiresGrad()) {
            probs = Var.constant(hooked(probs.value(), b, height, width));
        }
        return toOut.forward(mergeHeads(Ops.matmul(probs, v), b));               // [B, N, C]
    }

    private INDArray hooked(INDArray probs, long b, int height, int width) {
        long[] s = probs.shape();
        INDArray perHead = probs.reshape(b, heads, s[1], s[2]); // [B, heads, N, M]
        INDArray out = hook.apply(perHead, height, width);
        if (!Arrays.equals(out.shape(), perHead.shape())) {
            throw new IllegalStateException("an attention controller returned shape " + Arrays.toString(out.shape())
                    + ", expected " + Arrays.toString(perHead.shape()));
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
