package org.ldmlab.text;

import org.ldmlab.nn.Attention;
import org.ldmlab.nn.Init;
import org.ldmlab.nn.LayerNorm;
import org.ldmlab.nn.Linear;
import org.ldmlab.nn.Module;
import org.ldmlab.nn.Ops;
import org.ldmlab.nn.Var;

/**
 * One transformer encoder layer (Vaswani et al. 2017) with LayerNorm before each sub-layer (pre-LN, as in
 * GPT-2 and CLIP's text encoder), each sub-layer residual:
 * x += SelfAttn(LN(x));  x += MLP(LN(x)),  MLP(x) = GELU(x W1 + b1) W2 + b2 with inner width 4D.
 * No attention mask: every token, padding included, attends to every token, like LDM's tau_theta.
 */
public final class TextTransformerLayer extends Module {
    private final LayerNorm norm1;
    private final Attention attention;
    private final LayerNorm norm2;
    private final Linear fc1;
    private final Linear fc2;

    /** @param name the layer's name in attention maps, e.g. "text.layers.0" */
    public TextTransformerLayer(String name, long width, int heads, Init init) {
        this.norm1 = child("norm1", new LayerNorm(width, init));
        this.attention = child("attn", new Attention(name + ".attn", width, width, heads, false, init));
        this.norm2 = child("norm2", new LayerNorm(width, init));
        this.fc1 = child("fc1", new Linear(width, 4 * width, true, init));
        this.fc2 = child("fc2", new Linear(4 * width, width, true, init));
    }

    /** x [B, L, D] -> [B, L, D] */
    public Var forward(Var x) {
        int length = (int) x.shape()[1];
        // self-attention: no context; height 1 x width L only labels the attention maps
        x = Ops.add(x, attention.forward(norm1.forward(x), null, 1, length));
        return Ops.add(x, mlp(norm2.forward(x)));
    }

    private Var mlp(Var x) {
        return fc2.forward(Ops.gelu(fc1.forward(x))); // [B, L, 4D] inside
    }
}
