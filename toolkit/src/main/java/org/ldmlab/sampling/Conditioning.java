package org.ldmlab.sampling;

import java.util.Arrays;
import org.ldmlab.InvalidInputException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What eps_theta(z_t, t, c) is conditioned on (LDM section 3.3): a {@code context} [B, L, d] for cross-attention
 * (text, classes), with {@code realTokens} [B, L] marking its real tokens (1) against padding (0; null: all real),
 * and/or a spatially aligned {@code concat} [B, c, h, w] joined to z_t on channels. Any may be null.
 */
public record Conditioning(INDArray context, INDArray realTokens, INDArray concat) {
    /** No conditioning at all (an unconditional model). */
    public static final Conditioning NONE = new Conditioning(null, null);

    /** A context whose tokens all count, and/or a concat input. */
    public Conditioning(INDArray context, INDArray concat) {
        this(context, null, concat);
    }

    /** The rows of {@code first}, then the rows of {@code second}, along the batch axis. */
    public static Conditioning stack(Conditioning first, Conditioning second) {
        return new Conditioning(stack("context", first.context, second.context),
                stack("token mask", first.realTokens, second.realTokens), stack("concat", first.concat, second.concat));
    }

    /** This conditioning for a batch of {@code batch}: a batch-1 conditioning is repeated, a batch-sized one kept. */
    public Conditioning expandTo(long batch) {
        return new Conditioning(expand("context", context, batch), expand("token mask", realTokens, batch),
                expand("concat", concat, batch));
    }

    private static INDArray stack(String name, INDArray first, INDArray second) {
        if ((first == null) != (second == null)) {
            throw new InvalidInputException("cannot batch a conditioning with a " + name + " and one without");
        }
        return first == null ? null : Nd4j.concat(0, first, second); // [B1 + B2, ...]
    }

    private static INDArray expand(String name, INDArray x, long batch) {
        if (x == null || x.size(0) == batch) {
            return x;
        }
        if (x.size(0) != 1) {
            throw new InvalidInputException("the " + name + " has batch " + x.size(0) + " but the samples have batch " + batch
                    + " (shape " + Arrays.toString(x.shape()) + "); give batch 1 or " + batch);
        }
        return x.repeat(0, batch); // [batch, ...]
    }
}
