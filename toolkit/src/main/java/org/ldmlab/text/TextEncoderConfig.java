package org.ldmlab.text;

import org.ldmlab.InvalidInputException;
import org.ldmlab.io.Settings;

/**
 * The shape of the text encoder tau_theta: vocabulary size V and context length L (both from the
 * {@link Tokenizer}), width D (= d_tau, the context width the UNet's cross-attention reads), the number
 * of transformer layers and of attention heads, and which tokens each token may attend to ({@link TokenMixing}).
 */
public record TextEncoderConfig(int vocabSize, int contextLength, int width, int layers, int heads, TokenMixing mixing) {
    public TextEncoderConfig {
        if (vocabSize < 1 || contextLength < 1 || width < 1 || layers < 1 || heads < 1) {
            throw new InvalidInputException("a text encoder needs a positive vocabulary size, context length, width, "
                    + "layers and heads, got " + vocabSize + ", " + contextLength + ", " + width + ", " + layers
                    + ", " + heads);
        }
        if (width % heads != 0) {
            throw new InvalidInputException("the width " + width + " does not split into " + heads + " heads");
        }
    }

    public Settings toSettings(Settings s) {
        return s.put("text.vocab_size", vocabSize).put("text.context_length", contextLength).put("text.width", width)
                .put("text.layers", layers).put("text.heads", heads).put("text.mixing", mixing.word());
    }

    public static TextEncoderConfig from(Settings s) {
        return new TextEncoderConfig(s.integer("text.vocab_size"), s.integer("text.context_length"),
                s.integer("text.width"), s.integer("text.layers"), s.integer("text.heads"),
                TokenMixing.parse(s.string("text.mixing", TokenMixing.FULL.word()))); // checkpoints before mixing: full
    }

    /** The toolkit's default tau_theta for a tokenizer: width 64, 1 layer, 4 heads of 16, with this mixing. */
    public static TextEncoderConfig forTokenizer(Tokenizer tokenizer, TokenMixing mixing) {
        return new TextEncoderConfig(tokenizer.vocabularySize(), tokenizer.contextLength(), 64, 1, 4, mixing);
    }
}
