package org.ldmlab.text;

import org.ldmlab.nn.Attention;
import org.ldmlab.nn.Init;
import org.ldmlab.nn.LayerNorm;
import org.ldmlab.nn.Linear;
import org.ldmlab.nn.Module;
import org.ldmlab.nn.Ops;
import org.ldmlab.nn.Var;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One transformer encoder layer (Vaswani et al. 2017) with LayerNorm before each sub-layer (pre-LN, as in
 * GPT-2 and CLIP's text encoder), each sub-layer residual:
 * x += SelfAttn(LN(x));  x += MLP(LN(x)),  MLP(x) = GELU(x W1 + b1) W2 + b2 with inner width 4D.
 * Which tokens a token may attend to is the encoder's {@link TokenMixing} (LDM's tau_theta: all of them).
 */
public final class TextTransformerLayer extends Module {
    private final LayerNorm norm1;
    private final Attention attention;
    private final LayerNorm norm2;
    private final Linear fc1;
    private final Linear fc2;

    public TextTransformerLayer(long width, int heads, Init init) {
        this.norm1 = child("norm1", new LayerNorm(width, init));
        this.attention = child("attn", new Attention(width, width, heads, false, init));
        this.norm2 = child("norm2", new LayerNorm(width, init));
        this.fc1 = child("fc1", new Linear(width, 4 * width, true, init));
        this.fc2 = child("fc2", new Linear(4 * width, width, true, init));
    }

    /** x [B, L, D], mask [L, L] additive (null: every token sees every token) -> [B, L, D] */
    public Var forward(Var x, INDArray mask) {
        int length = (int) x.shape()[1];
        // self-attention: no context; height 1 x width L only labels the attention maps
        x = Ops.add(x, attention.forward(norm1.forward(x), null, mask, 1, length));
        return Ops.add(x, mlp(norm2.forward(x)));
    }

    private Var mlp(Var x) {
        return fc2.forward(Ops.gelu(fc1.forward(x))); // [B, L, 4D] inside
    }
}
