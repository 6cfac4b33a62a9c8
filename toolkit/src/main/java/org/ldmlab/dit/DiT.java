package org.ldmlab.dit;

import java.util.ArrayList;
import java.util.List;
import org.ldmlab.nn.Denoiser;
import org.ldmlab.nn.Init;
import org.ldmlab.nn.Linear;
import org.ldmlab.nn.Ops;
import org.ldmlab.nn.TextContext;
import org.ldmlab.nn.TimestepEmbedding;
import org.ldmlab.nn.Var;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The Diffusion Transformer eps_theta(z_t, t, y) of Peebles and Xie 2023 (section 3.2), conditioned on a caption:
 * <pre>
 *   z_t [B, I, I, C] -> patchify -> [B, T, p*p*C] -> Linear -> [B, T, d] + fixed 2-D sin-cos positions
 *   t -> sinusoidal features -> MLP -> t_emb [B, d];  caption -> text encoder -> tokens [B, M, d_tau], pooled [B, d_tau]
 *   N blocks of the chosen {@link DiTVariant}
 *   final layer -> [B, T, p*p*C'] -> unpatchify -> [B, I, I, C'] -> eps (the first C channels)
 * </pre>
 * Where the condition enters, per variant: in-context appends t_emb and the caption's tokens (projected to d) to the
 * sequence and drops them after the last block; cross-attention reads the caption's tokens in every block; the adaLN
 * variants modulate with c = t_emb + y_emb, y_emb = Linear(pooled caption) in place of the paper's label embedding.
 * One departure: with cross-attention conditioning the paper attends to the two vectors [t_emb, y_emb]; here the
 * keys are the caption's tokens alone (so that every key is a word, as attention maps and Prompt-to-Prompt need) and
 * t_emb is added to every image token before the first block.
 */
public final class DiT extends Denoiser {
    private final DiTConfig config;
    private final Linear patchEmbedding;
    private final INDArray positions; // [1, T, d], fixed
    private final TimestepEmbedding timeEmbedding;
    private final Linear captionEmbedding; // pooled caption -> y_emb (adaLN variants), or each token -> d (in-context); else null
    private final List<DiTBlock> blocks = new ArrayList<>();
    private final FinalLayer finalLayer;

    public DiT(DiTConfig config, Init init) {
        this.config = config;
        long d = config.width();
        int p = config.patch();
        DiTVariant variant = config.variant();
        this.patchEmbedding = child("x_embedder", new Linear((long) p * p * config.latentChannels(), d, true, init));
        this.positions = PositionEmbedding.sinCos2d(config.gridSide(), config.width(), init.dataType());
        this.timeEmbedding = child("t_embedder", new TimestepEmbedding(config.timeFeatures(), d, init));
        this.captionEmbedding = variant == DiTVariant.CROSS_ATTENTION ? null
                : child("y_embedder", new Linear(config.contextDim(), d, true, init));
        for (int i = 0; i < config.depth(); i++) {
            blocks.add(child("blocks." + i, switch (variant) {
                case IN_CONTEXT -> new InContextBlock(d, config.heads(), init);
                case CROSS_ATTENTION -> new CrossAttentionBlock(d, config.contextDim(), config.heads(), init);
                case ADALN -> new AdaLnBlock(d, config.heads(), init);
                case ADALN_ZERO -> new AdaLnZeroBlock(d, 0, config.heads(), init);
                case ADALN_ZERO_CROSS -> new AdaLnZeroBlock(d, config.contextDim(), config.heads(), init);
            }));
        }
        this.finalLayer = child("final_layer", new FinalLayer(d, (long) p * p * config.outputChannels(), variant.modulates(), init));
    }

    @Override
    public DiTConfig config() {
        return config;
    }

    @Override
    public Var forward(Var zt, int[] t, TextContext text, Var concat) {
        if (text == null || concat != null) {
            throw new IllegalArgumentException("a DiT reads a caption and no concat input");
        }
        long b = zt.shape()[0];
        long d = config.width();
        int p = config.patch();
        int g = config.gridSide();
        int tokens = config.tokens();
        Var x = Ops.add(patchEmbedding.forward(Patches.patchify(zt, p)), Var.constant(positions)); // [B, T, d]
        Var tEmb = timeEmbedding.forward(t);                                                        // [B, d]
        Var c = null;                                                                               // [B, d]
        Var context = null;                                                                         // [B, M, d_tau]
        switch (config.variant()) {
            case IN_CONTEXT -> x = Ops.concat(1, x, Ops.reshape(tEmb, b, 1, d),
                    captionEmbedding.forward(text.tokens()));                                       // [B, T + 1 + M, d]
            case CROSS_ATTENTION -> {
                x = Ops.add(x, Ops.reshape(tEmb, b, 1, d));                                         // [B, T, d]
                context = text.tokens();
            }
            case ADALN, ADALN_ZERO -> c = Ops.add(tEmb, captionEmbedding.forward(text.pooled()));
            case ADALN_ZERO_CROSS -> {
                c = Ops.add(tEmb, captionEmbedding.forward(text.pooled()));
                context = text.tokens();
            }
        }
        for (DiTBlock block : blocks) {
            x = block.forward(x, c, context, g, g);                                                  // [B, T', d]
        }
        if (config.variant() == DiTVariant.IN_CONTEXT) {
            x = Ops.slice(x, 1, 0, tokens);                                                          // [B, T, d]
        }
        Var out = Patches.unpatchify(finalLayer.forward(x, c), p, config.outputChannels());        // [B, I, I, C']
        return config.learnSigma() ? Ops.slice(out, 3, 0, config.latentChannels()) : out;          // [B, I, I, C]
    }
}
