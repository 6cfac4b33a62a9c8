package org.ldmlab.autoencoder;

import java.util.ArrayList;
import java.util.List;
import org.ldmlab.nn.Conv2d;
import org.ldmlab.nn.GroupNorm;
import org.ldmlab.nn.Init;
import org.ldmlab.nn.Module;
import org.ldmlab.nn.Ops;
import org.ldmlab.nn.ResBlock;
import org.ldmlab.nn.Var;

/**
 * D: latent -> image, the encoder's mirror: conv_in, then per level (deepest first) a ResBlock and, except at
 * full resolution, nearest-neighbour 2x upsampling followed by a 3x3 conv; then GroupNorm, SiLU, conv to RGB.
 */
public final class Decoder extends Module {
    private final Conv2d convIn;
    private final List<ResBlock> blocks = new ArrayList<>();
    private final List<Conv2d> upsampleConv = new ArrayList<>();
    private final GroupNorm normOut;
    private final Conv2d convOut;

    public Decoder(AutoencoderConfig config, Init init) {
        int[] ch = config.channels();
        int deepest = ch[ch.length - 1];
        this.convIn = child("conv_in", Conv2d.same3x3(config.latentChannels(), deepest, init));
        for (int l = ch.length - 1; l >= 0; l--) {
            int cin = l == ch.length - 1 ? deepest : ch[l + 1];
            blocks.add(child("up." + l + ".res", new ResBlock(cin, ch[l], 0, config.groups(), init)));
            if (l > 0) {
                upsampleConv.add(child("up." + l + ".upsample", Conv2d.same3x3(ch[l], ch[l], init)));
            }
        }
        this.normOut = child("norm_out", new GroupNorm(config.groups(), ch[0], init));
        this.convOut = child("conv_out", Conv2d.same3x3(ch[0], config.imageChannels(), init));
    }

    /** z [B, h, w, c] -> x_hat [B, H, W, 3] (unbounded; about [-1, 1] once trained) */
    public Var forward(Var z) {
        Var h = convIn.forward(z);
        for (int i = 0; i < blocks.size(); i++) {
            h = blocks.get(i).forward(h, null);
            if (i < upsampleConv.size()) {
                h = upsampleConv.get(i).forward(Ops.upsample2x(h));
            }
        }
        return convOut.forward(Ops.silu(normOut.forward(h)));
    }
}
