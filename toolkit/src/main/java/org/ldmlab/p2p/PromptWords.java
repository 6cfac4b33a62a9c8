package org.ldmlab.p2p;

import static org.ldmlab.InvalidInputException.shorten;

import org.ldmlab.InvalidInputException;
import org.ldmlab.text.Tokenizer;

/** A word named on the command line, found among a prompt's tokens, or a clear error listing the prompt's words. */
final class PromptWords {
    private PromptWords() {}

    /** The token positions of {@code word} in {@code prompt} (0 is {@code <bos>}); refused when it is not there. */
    static int[] positions(Tokenizer tokenizer, String prompt, String word, String option) {
        int[] positions = tokenizer.positionsOf(prompt, word);
        if (positions.length == 0) {
            throw new InvalidInputException(option + ": '" + shorten(word) + "' is not a word of \"" + shorten(prompt) + "\"; its words are: "
                    + words(tokenizer, prompt));
        }
        return positions;
    }

    /** The prompt's words as the tokenizer reads them, e.g. "a, big, red, circle, on, the, left". */
    static String words(Tokenizer tokenizer, String prompt) {
        return tokenizer.decode(tokenizer.encode(prompt)).replace(" ", ", ");
    }
}
