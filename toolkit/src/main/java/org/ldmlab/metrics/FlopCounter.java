package org.ldmlab.metrics;

import java.util.ArrayList;
import java.util.List;
import org.ldmlab.Choice;
import org.ldmlab.InvalidInputException;
import org.ldmlab.dit.DiTConfig;
import org.ldmlab.dit.DiTVariant;
import org.ldmlab.nn.DenoiserConfig;
import org.ldmlab.unet.UNetConfig;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The compute of ONE forward pass of a denoiser at batch 1, worked out from its architecture layer by layer, the way
 * DiT measures model size (Peebles and Xie 2023, section 4 and Table 4). The convention is theirs (facebookresearch/DiT
 * issue #14): one multiply-add is one flop, so "Gflops" are billions of multiply-adds; forward pass only.
 * <pre>
 *   linear layer on R vectors (Linear, 1x1 conv):   R * in * out
 *   k x k convolution with an Ho x Wo output:       Ho * Wo * k^2 * Cin * Cout   (zero padding included, as im2col does)
 *   attention over N queries and M keys, width d:   Q K^T: N * M * d,  A V: N * M * d   (summed over the heads)
 *   pooling the caption (adaLN DiTs):               M * d_tau   (a weighted sum of the M token vectors)
 * </pre>
 * That covers the convolutions, the linear layers (attention projections, MLPs, the adaLN modulation, the timestep MLP,
 * the patch embedding, the final linear). Left out, as in the paper: biases, norms, activations, softmax and every
 * element-wise op (residual adds, modulation, gates), the sinusoidal timestep features, reshapes. The text encoder is
 * not part of the denoiser: it runs once per caption, not once per step. Sampling with classifier-free guidance runs
 * two forwards a step, with the caption and with the empty one: {@link #guidedStepGflops()}.
 *
 * <p>One row per module that holds parameters or does counted products, under its path as a checkpoint names it
 * ({@code blocks.3.attn}, {@code down.0.res.conv1}); an attention layer's rows are its four projections together, then
 * its two score products ({@code blocks.3.attn (QK^T)}, {@code blocks.3.attn (AV)}). Norms appear for their parameters
 * (0 flops). Parameters are counted from the architecture too, so the paper's XL/2 is counted without allocating its
 * 675M weights. {@code nn.MacCount} counts the same products in a real forward pass; the tests hold the two equal.
 */
public final class FlopCounter {
    /** What a row's layer does. */
    public enum Kind implements Choice {
        /** A convolution (nn.Conv2d), 1x1 ones included. */
        CONV,
        /** A linear layer; for an attention layer, its four projections together. */
        LINEAR,
        /** The inputs' embeddings: the patch embedding, the timestep MLP, the caption's projection. */
        EMBEDDING,
        /** An adaLN modulation: Linear(SiLU(c)), once per sample. */
        MODULATION,
        /** An attention layer's Q K^T or A V. */
        ATTENTION,
        /** The caption's token vectors averaged into one (adaLN DiTs). */
        POOLING,
        /** A norm's scale and shift: parameters, no counted flops. */
        NORM
    }

    /** One layer: its module path, kind, parameter count and multiply-adds in one forward pass at batch 1. */
    public record Row(String layer, Kind kind, long params, long macs) {}

    private final List<Row> rows = new ArrayList<>();

    private FlopCounter() {}

    /**
     * The count of one forward pass of the model {@code config} describes (a {@link UNetConfig} or a {@link DiTConfig})
     * reading captions of {@code contextTokens} tokens (the tokenizer's context length M; padding included, as the
     * model attends to it).
     */
    public static FlopCounter of(DenoiserConfig config, int contextTokens) {
        FlopCounter count = new FlopCounter();
        if (config instanceof UNetConfig unet) {
            count.unet(unet, contextTokens);
        } else if (config instanceof DiTConfig dit) {
            count.dit(dit, contextTokens);
        } else {
            throw new IllegalArgumentException("no flop count for the backbone '" + config.backbone() + "'");
        }
        return count;
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    public long totalMacs() {
        return rows.stream().mapToLong(Row::macs).sum();
    }

    /** Billions of multiply-adds of one forward pass: the "Gflops" of DiT's Table 4. */
    public double totalGflops() {
        return totalMacs() / 1e9;
    }

    /** One step of sampling with classifier-free guidance: two forwards (conditional and unconditional). */
    public double guidedStepGflops() {
        return 2 * totalGflops();
    }

    public long totalParams() {
        return rows.stream().mapToLong(Row::params).sum();
    }

    /** Columns layer, kind, params, gflops: one row per layer, then a row {@code total}. */
    public Table table() {
        StringColumn layer = StringColumn.create("layer");
        StringColumn kind = StringColumn.create("kind");
        LongColumn params = LongColumn.create("params");
        DoubleColumn gflops = DoubleColumn.create("gflops");
        for (Row r : rows) {
            layer.append(r.layer());
            kind.append(r.kind().word());
            params.append(r.params());
            gflops.append(r.macs() / 1e9);
        }
        layer.append("total");
        kind.append("");
        params.append(totalParams());
        gflops.append(totalGflops());
        return Table.create("multiply-adds of one forward pass, batch 1", layer, kind, params, gflops);
    }

    // ---- the UNet (unet.UNet), level by level --------------------------------------------------------

    private void unet(UNetConfig c, int contextTokens) {
        int[] ch = c.channels();
        int levels = ch.length;
        int side = c.latentSize();
        if (side % (1 << (levels - 1)) != 0) {
            throw new InvalidInputException("the UNet's " + levels + " levels halve the latent side " + side
                    + " " + (levels - 1) + " times: it must be divisible by " + (1 << (levels - 1)));
        }
        long emb = c.embeddingDim();
        long context = c.key().usesCrossAttention() ? c.contextDim() : 0;
        timestepEmbedding("time_embed", c.timeFeatures(), emb);
        conv("conv_in", c.inputChannels(), ch[0], 3, 1, side);
        for (int l = 0; l < levels; l++) {
            int s = side >> l;
            long cin = l == 0 ? ch[0] : ch[l - 1];
            resBlock("down." + l + ".res", cin, ch[l], emb, s);
            spatialTransformer("down." + l + ".attn", ch[l], context, contextTokens, s);
            if (l < levels - 1) {
                conv("down." + l + ".downsample", ch[l], ch[l], 3, 2, s);
            }
        }
        long deepest = ch[levels - 1];
        int bottom = side >> (levels - 1);
        resBlock("mid.res1", deepest, deepest, emb, bottom);
        spatialTransformer("mid.attn", deepest, context, contextTokens, bottom);
        resBlock("mid.res2", deepest, deepest, emb, bottom);
        for (int l = levels - 1; l >= 0; l--) {
            int s = side >> l;
            long cin = (l == levels - 1 ? deepest : ch[l + 1]) + ch[l]; // [h, skip] on the channel axis
            resBlock("up." + l + ".res", cin, ch[l], emb, s);
            spatialTransformer("up." + l + ".attn", ch[l], context, contextTokens, s);
            if (l > 0) {
                conv("up." + l + ".upsample", ch[l], ch[l], 3, 1, 2 * s); // after nearest-neighbour 2x upsampling
            }
        }
        norm("norm_out", 2L * ch[0]);
        conv("conv_out", ch[0], c.latentChannels(), 3, 1, side);
    }

    /** nn.ResBlock on an s x s map: conv1(SiLU(GN(x))) + Linear(SiLU(emb)), conv2(SiLU(GN(h))), skip(x) when cin != cout. */
    private void resBlock(String path, long cin, long cout, long emb, int s) {
        norm(path + ".norm1", 2 * cin);
        conv(path + ".conv1", cin, cout, 3, 1, s);
        linear(path + ".emb_proj", Kind.LINEAR, 1, emb, cout, true);
        norm(path + ".norm2", 2 * cout);
        conv(path + ".conv2", cout, cout, 3, 1, s);
        if (cin != cout) {
            conv(path + ".skip", cin, cout, 1, 1, s);
        }
    }

    /**
     * nn.SpatialTransformer on an s x s map of c channels: GN, 1x1 conv in, a TransformerBlock on the N = s^2 tokens
     * (self-attention; cross-attention to the M caption tokens when {@code contextDim > 0}; GEGLU feed-forward with
     * inner width 4c, whose first linear makes both halves, 8c), 1x1 conv out.
     */
    private void spatialTransformer(String path, long c, long contextDim, int contextTokens, int s) {
        long n = (long) s * s;
        String block = path + ".block";
        norm(path + ".norm", 2 * c);
        conv(path + ".proj_in", c, c, 1, 1, s);
        norm(block + ".norm1", 2 * c);
        attention(block + ".attn1", n, n, c, c);
        if (contextDim > 0) {
            norm(block + ".norm2", 2 * c);
            attention(block + ".attn2", n, contextTokens, c, contextDim);
        }
        norm(block + ".norm3", 2 * c);
        linear(block + ".ff.proj", Kind.LINEAR, n, c, 8 * c, true);
        linear(block + ".ff.out", Kind.LINEAR, n, 4 * c, c, true);
        conv(path + ".proj_out", c, c, 1, 1, s);
    }

    // ---- the DiT (dit.DiT), block by block ---------------------------------------------------------------

    private void dit(DiTConfig c, int contextTokens) {
        long d = c.width();
        long t = c.tokens();                   // T = (I / p)^2
        long patchValues = (long) c.patch() * c.patch();
        long m = contextTokens;
        long contextDim = c.contextDim();
        DiTVariant v = c.variant();
        linear("x_embedder", Kind.EMBEDDING, t, patchValues * c.latentChannels(), d, true);
        timestepEmbedding("t_embedder", c.timeFeatures(), d);
        long sequence = t;                      // T', the tokens the blocks see
        if (v == DiTVariant.IN_CONTEXT) {
            linear("y_embedder", Kind.EMBEDDING, m, contextDim, d, true); // each caption token -> d
            sequence = t + 1 + m;                                           // [image tokens, t_emb, caption tokens]
        } else if (v.modulates()) {
            add("y_embedder (pooled caption)", Kind.POOLING, 0, m * contextDim); // TextContext.pooled(): [1, M] x [M, d_tau]
            linear("y_embedder", Kind.EMBEDDING, 1, contextDim, d, true);
        }
        for (int i = 0; i < c.depth(); i++) {
            String b = "blocks." + i;
            switch (v) {
                case IN_CONTEXT -> {
                    norm(b + ".norm1", 2 * d);
                    attention(b + ".attn", sequence, sequence, d, d);
                    norm(b + ".norm2", 2 * d);
                }
                case CROSS_ATTENTION -> {
                    norm(b + ".norm1", 2 * d);
                    attention(b + ".attn", t, t, d, d);
                    norm(b + ".norm2", 2 * d);
                    attention(b + ".attn2", t, m, d, contextDim);
                    norm(b + ".norm3", 2 * d);
                }
                case ADALN -> { // shift, scale for the attention and the MLP; LayerNorms without parameters
                    linear(b + ".adaLN_modulation", Kind.MODULATION, 1, d, 4 * d, true);
                    attention(b + ".attn", t, t, d, d);
                }
                case ADALN_ZERO, ADALN_ZERO_CROSS -> { // shift, scale and gate for each; LayerNorms without parameters
                    linear(b + ".adaLN_modulation", Kind.MODULATION, 1, d, 6 * d, true);
                    attention(b + ".attn", t, t, d, d);
                    if (v.crossAttends()) {
                        norm(b + ".norm_cross", 2 * d);
                        attention(b + ".attn2", t, m, d, contextDim);
                    }
                }
            }
            long hidden = DiTConfig.MLP_RATIO * d;
            linear(b + ".mlp.fc1", Kind.LINEAR, sequence, d, hidden, true);
            linear(b + ".mlp.fc2", Kind.LINEAR, sequence, hidden, d, true);
        }
        if (v.modulates()) {
            linear("final_layer.adaLN_modulation", Kind.MODULATION, 1, d, 2 * d, true); // shift, scale
        } else {
            norm("final_layer.norm_final", 2 * d);
        }
        linear("final_layer.linear", Kind.LINEAR, t, d, patchValues * c.outputChannels(), true); // [T, p*p*C']
    }

    // ---- the layers of nn, as they compute ---------------------------------------------------------------

    /** nn.TimestepEmbedding: sinusoidal features (not counted) -> Linear -> SiLU -> Linear, once per sample. */
    private void timestepEmbedding(String path, long features, long out) {
        linear(path + ".linear_1", Kind.EMBEDDING, 1, features, out, true);
        linear(path + ".linear_2", Kind.EMBEDDING, 1, out, out, true);
    }

    /** nn.Linear on {@code vectors} inputs: vectors * in * out multiply-adds; in * out weights (+ out biases). */
    private void linear(String path, Kind kind, long vectors, long in, long out, boolean bias) {
        add(path, kind, in * out + (bias ? out : 0), vectors * in * out);
    }

    /** nn.Conv2d k x k (padding k / 2, "same" at stride 1) on an s x s input; weights k^2 Cin Cout, biases Cout. */
    private void conv(String path, long cin, long cout, int k, int stride, int s) {
        long so = (s + 2L * (k / 2) - k) / stride + 1; // output side
        add(path, Kind.CONV, (long) k * k * cin * cout + cout, so * so * k * k * cin * cout);
    }

    /**
     * nn.Attention: to_q on the N queries (d -> d), to_k and to_v on the M keys (d_k -> d), to_out (d -> d, biased);
     * then Q K^T and A V, N * M * d each: every head multiplies [N, d/h] by [d/h, M], and the h heads make d.
     */
    private void attention(String path, long n, long m, long d, long keyDim) {
        add(path, Kind.LINEAR, 2 * d * d + d + 2 * keyDim * d, 2 * n * d * d + 2 * m * keyDim * d);
        add(path + " (QK^T)", Kind.ATTENTION, 0, n * m * d);
        add(path + " (AV)", Kind.ATTENTION, 0, n * m * d);
    }

    /** A GroupNorm or LayerNorm with a scale and a shift per channel: parameters only (norms are not counted). */
    private void norm(String path, long params) {
        add(path, Kind.NORM, params, 0);
    }

    private void add(String layer, Kind kind, long params, long macs) {
        rows.add(new Row(layer, kind, params, macs));
    }
}
