package org.ldmlab.text;

import org.ldmlab.InvalidInputException;

/**
 * The shape of the text encoder tau_theta: vocabulary size V and context length L (both from the
 * {@link Tokenizer}), width D (= d_tau, the context width the UNet's cross-attention reads), the number
 * of transformer layers and of attention heads.
 */
public record TextEncoderConfig(int vocabSize, int contextLength, int width, int layers, int heads) {
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

    /** The toolkit's default tau_theta for a tokenizer: width 64, 1 layer, 4 heads of 16. */
    public static TextEncoderConfig forTokenizer(Tokenizer tokenizer) {
        return new TextEncoderConfig(tokenizer.vocabularySize(), tokenizer.contextLength(), 64, 1, 4);
    }
}
