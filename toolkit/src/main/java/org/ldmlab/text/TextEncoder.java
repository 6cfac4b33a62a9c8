package org.ldmlab.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ldmlab.InvalidInputException;
import org.ldmlab.nn.Init;
import org.ldmlab.nn.LayerNorm;
import org.ldmlab.nn.Module;
import org.ldmlab.nn.Ops;
import org.ldmlab.nn.Var;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.ops.NDBase;

/**
 * The text encoder tau_theta of LDM (Rombach et al. 2022, section 3.3): token ids -> the context
 * tau_theta(y) [B, L, d_tau] whose tokens the UNet's cross-attention reads as keys and values, trained jointly
 * with eps_theta (LDM eq. 3). LDM's text-to-image model is an unmasked transformer ({@link TokenMixing#FULL});
 * the config may restrict which tokens each token sees (causal as CLIP's, or none).
 *
 * <pre>
 *   ids [B, L] -> token embedding [V, D] + position embedding [L, D]
 *              -> N x TextTransformerLayer -> LayerNorm -> context [B, L, D]
 * </pre>
 */
public final class TextEncoder extends Module {
    /**
     * Embedding tables start as N(0, 1), PyTorch's nn.Embedding default. (GPT-2 and CLIP use std 0.02 with
     * Adam; under plain SGD such small vectors, which the first LayerNorm divides by their tiny std, take steps
     * far too large for their size.)
     */
    private static final double EMBEDDING_STD = 1.0;
    private static final NDBase ND = new NDBase();

    private final TextEncoderConfig config;
    private final Var tokenEmbedding;    // [V, D]
    private final Var positionEmbedding; // [L, D], learned
    private final List<TextTransformerLayer> layers = new ArrayList<>();
    private final LayerNorm finalNorm;
    private final INDArray mask; // [L, L] additive attention mask of the config's mixing, built once; null for full

    public TextEncoder(TextEncoderConfig config, long seed) {
        this(config, new Init(seed));
    }

    public TextEncoder(TextEncoderConfig config, Init init) {
        this.config = config;
        int width = config.width();
        this.tokenEmbedding = parameter("token_embedding", init.normal(EMBEDDING_STD, config.vocabSize(), width));
        this.positionEmbedding = parameter("position_embedding", init.normal(EMBEDDING_STD, config.contextLength(), width));
        for (int i = 0; i < config.layers(); i++) {
            layers.add(child("layers." + i, new TextTransformerLayer(width, config.heads(), init)));
        }
        this.finalNorm = child("final_norm", new LayerNorm(width, init));
        this.mask = config.mixing().mask(config.contextLength(), tokenEmbedding.value().dataType());
    }

    public TextEncoderConfig config() {
        return config;
    }

    /** tau_theta(y): token ids [B, L] (any integer type, e.g. {@link Tokenizer#encodeBatch}) -> context [B, L, D]. */
    public Var forward(INDArray ids) {
        checkIds(ids);
        return transform(embed(ids, tokenEmbedding, positionEmbedding));
    }

    /**
     * ids [B, L] -> token vector + position vector, [B, L, D]. An embedding lookup is a one-hot row times
     * the table: one-hot(ids) [B*L, V] x table [V, D] picks row id for each token, and the gradient of the
     * product sends each token's gradient to its row. Written so, it also avoids ND4J M2.1's {@code gather},
     * whose gradient is broken.
     */
    static Var embed(INDArray ids, Var tokenTable, Var positionTable) {
        long batch = ids.size(0);
        long length = ids.size(1);
        long vocab = tokenTable.shape()[0];
        INDArray oneHot = ND.oneHot(ids.reshape(batch * length), (int) vocab, -1, 1.0, 0.0,
                tokenTable.value().dataType()); // [B*L, V]
        Var tokens = Ops.matmul(Var.constant(oneHot), tokenTable); // [B*L, D]
        Var perCaption = Ops.reshape(tokens, batch, length, tokenTable.shape()[1]); // [B, L, D]
        return Ops.add(perCaption, positionTable); // + [L, D], broadcast over B
    }

    /** The transformer on embedded tokens: [B, L, D] -> N layers -> final LayerNorm -> [B, L, D]. */
    Var transform(Var x) {
        for (TextTransformerLayer layer : layers) {
            x = layer.forward(x, mask);
        }
        return finalNorm.forward(x);
    }

    private void checkIds(INDArray ids) {
        if (ids.rank() != 2 || ids.size(1) != config.contextLength() || !ids.dataType().isIntType()) {
            throw new InvalidInputException("token ids must be integers of shape [B, " + config.contextLength()
                    + "], got " + ids.dataType() + " " + Arrays.toString(ids.shape()));
        }
        long min = ids.minNumber().longValue();
        long max = ids.maxNumber().longValue();
        if (min < 0 || max >= config.vocabSize()) {
            throw new InvalidInputException("token ids must lie in [0, " + config.vocabSize() + "), got ids from "
                    + min + " to " + max + ": was the tokenizer built with another vocabulary?");
        }
    }
}
