package org.ldmlab.nn;

import static org.ldmlab.nn.GradCheck.checkModule;
import static org.ldmlab.nn.GradCheck.randn;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Every building block's gradient, w.r.t. its input and each of its parameters, agrees with finite differences. */
class BlockGradientTest {
    private static Init init() {
        return new Init(3, DataType.DOUBLE);
    }

    private final INDArray image = randn(1, 2, 4, 4, 4);   // [B, H, W, C]
    private final INDArray tokens = randn(2, 2, 5, 8);     // [B, N, C]
    private final INDArray context = randn(3, 2, 3, 6);    // [B, M, d]

    @Test
    void linearAndConvolution() {
        Linear linear = new Linear(8, 3, true, init());
        checkModule("Linear", linear, tokens, linear::forward);
        Conv2d conv = new Conv2d(4, 3, 3, 2, 1, init());
        checkModule("Conv2d stride 2", conv, image, conv::forward);
    }

    @Test
    void normalisations() {
        GroupNorm gn = new GroupNorm(2, 4, init());
        checkModule("GroupNorm", gn, image, gn::forward);
        LayerNorm ln = new LayerNorm(8, init());
        checkModule("LayerNorm", ln, tokens, ln::forward);
    }

    @Test
    void attentionAndFeedForward() {
        Attention self = new Attention(8, 8, 2, false, init());
        checkModule("self-attention", self, tokens, x -> self.forward(x, null, 1, 5));
        Attention cross = new Attention(8, 6, 2, true, init());
        Var ctx = Var.constant(context);
        checkModule("cross-attention", cross, tokens, x -> cross.forward(x, ctx, 1, 5));
        FeedForward ff = new FeedForward(8, init());
        checkModule("GEGLU feed-forward", ff, tokens, ff::forward);
    }

    @Test
    void residualAndTransformerBlocks() {
        Var emb = Var.constant(randn(4, 2, 6));
        ResBlock res = new ResBlock(4, 6, 6, 2, init());
        checkModule("ResBlock", res, image, x -> res.forward(x, emb));
        SpatialTransformer st = new SpatialTransformer(4, 6, 2, 2, init());
        Var ctx = Var.constant(context);
        checkModule("SpatialTransformer", st, image, x -> st.forward(x, ctx));
    }

    @Test
    void timestepEmbedding() {
        TimestepEmbedding te = new TimestepEmbedding(8, 6, init());
        // the timestep enters as a constant; the check covers the two linear layers through SiLU
        checkModule("TimestepEmbedding", te, randn(5, 2, 6), x -> Ops.add(te.forward(new int[] {3, 700}), x));
    }
}
