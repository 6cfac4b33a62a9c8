package org.ldmlab.attention;

import static org.ldmlab.InvalidInputException.shorten;

import java.util.List;
import org.ldmlab.InvalidInputException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One prompt's aggregated cross-attention: a map per token, {@code <bos>} and padding included.
 *
 * @param tokens the L tokens of the prompt as the tokenizer gives them
 * @param maps   [L, S, S], each in [0, 1] after normalisation
 */
public record TokenMaps(List<String> tokens, INDArray maps) {
    public TokenMaps {
        tokens = List.copyOf(tokens);
        if (maps.rank() != 3 || maps.size(0) != tokens.size()) {
            throw new IllegalArgumentException("maps must be [" + tokens.size() + ", S, S], got " + java.util.Arrays.toString(maps.shape()));
        }
    }

    /** Token i's map [S, S]. */
    public INDArray map(int token) {
        return maps.get(NDArrayIndex.point(token), NDArrayIndex.all(), NDArrayIndex.all());
    }

    /** Every map as CSV rows {@code token_index,token,y,x,value}, with that header: any tool can read them. */
    public String csv() {
        StringBuilder b = new StringBuilder("token_index,token,y,x,value\n");
        long size = maps.size(1);
        for (int i = 0; i < tokens.size(); i++) {
            float[] values = map(i).dup().reshape(size * size).toFloatVector();
            for (int p = 0; p < values.length; p++) {
                b.append(i).append(',').append(tokens.get(i)).append(',').append(p / size).append(',').append(p % size)
                        .append(',').append(values[p]).append('\n');
            }
        }
        return b.toString();
    }

    /** The index of the first token spelling {@code word}; a clear error listing the tokens when there is none. */
    public int indexOf(String word) {
        int i = tokens.indexOf(word);
        if (i < 0) {
            throw new InvalidInputException("'" + shorten(word) + "' is not a token of the prompt; its tokens: " + String.join(" ", tokens));
        }
        return i;
    }
}
