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
 * E: image -> q(z | x). conv_in, then per level a ResBlock and (except at the last level) a stride-2
 * convolution that halves the resolution, then GroupNorm, SiLU and a conv to 2c channels (mean, log-variance).
 */
public final class Encoder extends Module {
    private final Conv2d convIn;
    private final List<ResBlock> blocks = new ArrayList<>();
    private final List<Conv2d> downsample = new ArrayList<>();
    private final GroupNorm normOut;
    private final Conv2d convOut;
    private final int latentChannels;

    public Encoder(AutoencoderConfig config, Init init) {
        int[] ch = config.channels();
        this.latentChannels = config.latentChannels();
        this.convIn = child("conv_in", Conv2d.same3x3(config.imageChannels(), ch[0], init));
        for (int l = 0; l < ch.length; l++) {
            int cin = l == 0 ? ch[0] : ch[l - 1];
            blocks.add(child("down." + l + ".res", new ResBlock(cin, ch[l], 0, config.groups(), init)));
            if (l < ch.length - 1) {
                downsample.add(child("down." + l + ".downsample", new Conv2d(ch[l], ch[l], 3, 2, 1, init)));
            }
        }
        int last = ch[ch.length - 1];
        this.normOut = child("norm_out", new GroupNorm(config.groups(), last, init));
        this.convOut = child("conv_out", Conv2d.same3x3(last, 2L * latentChannels, init));
    }

    /** x [B, H, W, 3] in [-1, 1] -> q(z | x) over [B, H/f, W/f, c] */
    public DiagonalGaussian forward(Var x) {
        Var h = convIn.forward(x);
        for (int l = 0; l < blocks.size(); l++) {
            h = blocks.get(l).forward(h, null);
            if (l < downsample.size()) {
                h = downsample.get(l).forward(h);
            }
        }
        Var moments = convOut.forward(Ops.silu(normOut.forward(h))); // [B, h, w, 2c]
        return new DiagonalGaussian(Ops.slice(moments, 3, 0, latentChannels),
                Ops.slice(moments, 3, latentChannels, 2L * latentChannels));
    }
}
