package org.ldmlab.unet;

import java.util.ArrayList;
import java.util.List;
import org.ldmlab.nn.Conv2d;
import org.ldmlab.nn.Denoiser;
import org.ldmlab.nn.GroupNorm;
import org.ldmlab.nn.Init;
import org.ldmlab.nn.Ops;
import org.ldmlab.nn.ResBlock;
import org.ldmlab.nn.SpatialTransformer;
import org.ldmlab.nn.TextContext;
import org.ldmlab.nn.TimestepEmbedding;
import org.ldmlab.nn.Var;

/**
 * The noise model eps_theta(z_t, t, tau(y)) of a latent diffusion model (LDM, Rombach et al. 2022,
 * section 3.3): a UNet whose levels are a ResBlock (with the timestep) followed by a SpatialTransformer
 * (self-attention, cross-attention to the text, feed-forward), with skip connections from each down level
 * to the up level of the same resolution.
 *
 * <p>Tensors are channels-last, [B, H, W, C], as every block of {@code nn} takes them (the samplers' channels-first
 * latents are transposed once, in {@code LatentDiffusion}); C0, C1 are {@code channels[0]}, {@code channels[1]}.
 * <pre>
 *   z_t [B,8,8,4] (+ concat [B,8,8,c], joined on channels) -> conv_in -> [B,8,8,C0]
 *   down:  level 0 (8x8):  Res, ST -> skip0 [B,8,8,C0] -> downsample -> [B,4,4,C0]
 *          level 1 (4x4):  Res, ST -> skip1 [B,4,4,C1]
 *   mid:   Res, ST, Res                                  [B,4,4,C1]
 *   up:    level 1 (4x4):  [h, skip1] on channels -> Res, ST -> upsample -> [B,8,8,C1]
 *          level 0 (8x8):  [h, skip0] on channels -> Res, ST            -> [B,8,8,C0]
 *   out:   GroupNorm, SiLU, conv (zero-initialised) -> eps_hat [B,8,8,4]
 * </pre>
 */
public final class UNet extends Denoiser {
    private final UNetConfig config;
    private final TimestepEmbedding timeEmbedding;
    private final Conv2d convIn;
    private final List<ResBlock> downRes = new ArrayList<>();
    private final List<SpatialTransformer> downAttn = new ArrayList<>();
    private final List<Conv2d> downsample = new ArrayList<>();
    private final ResBlock midRes1;
    private final SpatialTransformer midAttn;
    private final ResBlock midRes2;
    private final List<ResBlock> upRes = new ArrayList<>();
    private final List<SpatialTransformer> upAttn = new ArrayList<>();
    private final List<Conv2d> upsampleConv = new ArrayList<>();
    private final GroupNorm normOut;
    private final Conv2d convOut;

    public UNet(UNetConfig config, long seed) {
        this(config, new Init(seed));
    }

    public UNet(UNetConfig config, Init init) {
        this.config = config;
        int[] ch = config.channels();
        int levels = ch.length;
        long emb = config.embeddingDim();
        int context = config.key().usesCrossAttention() ? config.contextDim() : 0;
        this.timeEmbedding = child("time_embed", new TimestepEmbedding(config.timeFeatures(), emb, init));
        this.convIn = child("conv_in", Conv2d.same3x3(config.inputChannels(), ch[0], init));
        for (int l = 0; l < levels; l++) {
            long cin = l == 0 ? ch[0] : ch[l - 1];
            downRes.add(child("down." + l + ".res", new ResBlock(cin, ch[l], emb, config.groups(), init)));
            downAttn.add(child("down." + l + ".attn", transformer(ch[l], context, init)));
            if (l < levels - 1) {
                downsample.add(child("down." + l + ".downsample", new Conv2d(ch[l], ch[l], 3, 2, 1, init)));
            }
        }
        long deepest = ch[levels - 1];
        this.midRes1 = child("mid.res1", new ResBlock(deepest, deepest, emb, config.groups(), init));
        this.midAttn = child("mid.attn", transformer(deepest, context, init));
        this.midRes2 = child("mid.res2", new ResBlock(deepest, deepest, emb, config.groups(), init));
        for (int l = levels - 1; l >= 0; l--) {
            long cin = (l == levels - 1 ? deepest : ch[l + 1]) + ch[l];
            upRes.add(child("up." + l + ".res", new ResBlock(cin, ch[l], emb, config.groups(), init)));
            upAttn.add(child("up." + l + ".attn", transformer(ch[l], context, init)));
            if (l > 0) {
                upsampleConv.add(child("up." + l + ".upsample", Conv2d.same3x3(ch[l], ch[l], init)));
            }
        }
        this.normOut = child("norm_out", new GroupNorm(config.groups(), ch[0], init));
        this.convOut = child("conv_out", Conv2d.same3x3(ch[0], config.latentChannels(), init).zeroed());
    }

    private SpatialTransformer transformer(long channels, int context, Init init) {
        return new SpatialTransformer(channels, context, config.heads(), config.groups(), init);
    }

    @Override
    public UNetConfig config() {
        return config;
    }

    /**
     * eps_theta(z_t, t, c).
     *
     * @param zt      noisy latents, channels-last [B, h, w, 4]
     * @param t       timestep index per sample
     * @param text    the caption, whose tokens tau_theta(y) [B, M, d_tau] the cross-attention reads (crossattn,
     *                hybrid; padding tokens included, as in LDM), else null
     * @param concat  spatially aligned conditioning [B, h, w, c] (concat, hybrid), else null
     * @return predicted noise, channels-last [B, h, w, 4]
     */
    @Override
    public Var forward(Var zt, int[] t, TextContext text, Var concat) {
        Var context = text == null ? null : text.tokens(); // [B, M, d_tau]
        Var emb = timeEmbedding.forward(t); // [B, E]
        Var h = convIn.forward(config.key().usesConcat() ? Ops.concat(3, zt, concat) : zt);
        List<Var> skips = new ArrayList<>();
        for (int l = 0; l < downRes.size(); l++) {
            h = downAttn.get(l).forward(downRes.get(l).forward(h, emb), context);
            skips.add(h);
            if (l < downsample.size()) {
                h = downsample.get(l).forward(h);
            }
        }
        h = midRes2.forward(midAttn.forward(midRes1.forward(h, emb), context), emb);
        for (int i = 0; i < upRes.size(); i++) {
            Var skip = skips.get(skips.size() - 1 - i);
            h = upAttn.get(i).forward(upRes.get(i).forward(Ops.concat(3, h, skip), emb), context);
            if (i < upsampleConv.size()) {
                h = upsampleConv.get(i).forward(Ops.upsample2x(h));
            }
        }
        return convOut.forward(Ops.silu(normOut.forward(h)));
    }
}
