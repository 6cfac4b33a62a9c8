package org.ldmlab.ldm;

import java.util.List;
import org.ldmlab.attention.AttentionController;
import org.ldmlab.attention.AttentionSites;
import org.ldmlab.nn.Denoiser;
import org.ldmlab.nn.DenoiserConfig;
import org.ldmlab.nn.Init;
import org.ldmlab.nn.Layout;
import org.ldmlab.nn.Module;
import org.ldmlab.nn.Ops;
import org.ldmlab.nn.TextContext;
import org.ldmlab.nn.Var;
import org.ldmlab.sampling.Conditioning;
import org.ldmlab.sampling.NoiseModel;
import org.ldmlab.schedule.ForwardProcess;
import org.ldmlab.schedule.LossWeighting;
import org.ldmlab.schedule.NoiseSchedule;
import org.ldmlab.text.TextEncoder;
import org.ldmlab.text.TextEncoderConfig;
import org.ldmlab.text.Tokenizer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The conditional latent diffusion model of LDM (Rombach et al. 2022, section 3.3): a text encoder tau_theta and
 * a noise model eps_theta, optimised jointly on
 * L_LDM = E_{E(x), y, eps ~ N(0,1), t} || eps - eps_theta(z_t, t, tau_theta(y)) ||^2   (LDM eq. 3).
 * The noise model is any {@link Denoiser} (the UNet, a DiT), stored in checkpoints under its backbone's name.
 * Latents are channels-first [B, c, h, w] at this boundary, as the samplers use them.
 */
public final class LatentDiffusion extends Module {
    private final Tokenizer tokenizer;
    private final TextEncoder textEncoder; // null for a concat-only model
    private final Denoiser denoiser;
    private final NoiseSchedule schedule;
    private final ForwardProcess forwardProcess;
    private final AttentionSites attentionSites;

    public LatentDiffusion(Tokenizer tokenizer, TextEncoderConfig text, DenoiserConfig denoiser, NoiseSchedule schedule, Init init) {
        this.tokenizer = tokenizer;
        this.textEncoder = denoiser.usesText() ? child("text_encoder", new TextEncoder(text, init)) : null;
        this.denoiser = child(denoiser.backbone(), denoiser.build(init));
        this.schedule = schedule;
        this.forwardProcess = new ForwardProcess(schedule);
        this.attentionSites = new AttentionSites(this.denoiser, denoiser.backbone() + ".");
    }

    /**
     * Hands every attention call of the backbone during sampling to {@code controller}, until the returned scope
     * is closed: {@code try (var attached = ldm.attach(store)) { ... }}. One controller at a time.
     */
    public AttentionSites.Attached attach(AttentionController controller) {
        return attentionSites.attach(controller);
    }

    /** The backbone's attention layers (their names) and whether a controller is attached. */
    public AttentionSites attentionSites() {
        return attentionSites;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The noise model eps_theta. */
    public Denoiser denoiser() {
        return denoiser;
    }

    /** The shape of one latent, [c, h, w], as the backbone's configuration gives it. */
    public long[] latentShape() {
        DenoiserConfig c = denoiser.config();
        return new long[] {c.latentChannels(), c.latentSize(), c.latentSize()};
    }

    public NoiseSchedule schedule() {
        return schedule;
    }

    /**
     * L_LDM for one batch (LDM eq. 2), each sample's term weighted by {@code weighting} (uniform: the paper's loss).
     *
     * @param z0       clean latents [B, c, h, w]
     * @param captions one caption per sample ("" for the unconditional case of classifier-free guidance)
     * @param concat   spatially aligned conditioning [B, c', h, w] (concat and hybrid keys), else null
     * @param t        one timestep per sample
     * @param eps      the noise, [B, c, h, w]
     */
    public Var loss(INDArray z0, List<String> captions, INDArray concat, int[] t, INDArray eps, LossWeighting weighting) {
        INDArray zt = forwardProcess.sample(z0, t, eps).xt(); // q(z_t | z_0), DDPM eq. 4
        TextContext text = null;
        if (textEncoder != null) {
            INDArray ids = tokenizer.encodeBatch(captions); // [B, M]
            text = new TextContext(textEncoder.forward(ids), realTokens(ids));
        }
        Var pred = denoiser.forward(Var.constant(Layout.channelsLast(zt)), t, text,
                concat == null ? null : Var.constant(Layout.channelsLast(concat)));
        INDArray target = Layout.channelsLast(eps); // [B, h, w, c]
        // uniform: Ops.mse itself, so runs of the shipped recipe repeat older ones bit for bit
        return weighting.uniform() ? Ops.mse(pred, target) : Ops.weightedMse(pred, target, weighting.weights(schedule, t, target));
    }

    /** What the samplers condition on: tau_theta(prompts) [B, L, D] with its real tokens, and the concat input (or null). */
    public Conditioning conditioning(List<String> prompts, INDArray concat) {
        if (textEncoder == null) {
            return new Conditioning(null, concat);
        }
        try (var off = Var.noGrad()) {
            INDArray ids = tokenizer.encodeBatch(prompts); // [B, M]
            return new Conditioning(textEncoder.forward(ids).value(), realTokens(ids), concat);
        }
    }

    /** [B, M]: 1 where a token id is a word or a start or end token, 0 where it is padding. */
    private static INDArray realTokens(INDArray ids) {
        return ids.neq(Tokenizer.PAD_ID).castTo(DataType.FLOAT);
    }

    /**
     * eps_theta(z_t, t, c) recording the gradient with respect to the caption's token vectors {@code context} [B, M, d]
     * (null-text inversion optimises an unconditional context this way). z_t [B, c, h, w] channels-first in; eps out in
     * the backbone's layout, channels-last [B, h, w, c]. The weights record gradients too: zero them afterwards.
     */
    public Var epsForContext(INDArray xt, int[] t, Var context, INDArray realTokens) {
        return denoiser.forward(Var.constant(Layout.channelsLast(xt)), t, new TextContext(context, realTokens), null);
    }

    /** eps_theta(z_t, t, c) for the samplers: no gradient is recorded; attention sites carry the sampling step. */
    public NoiseModel noiseModel() {
        return (xt, t, cond, step) -> attentionSites.during(step, () -> {
            try (var off = Var.noGrad()) {
                TextContext text = cond.context() == null ? null : new TextContext(Var.constant(cond.context()), cond.realTokens());
                Var concat = cond.concat() == null ? null : Var.constant(Layout.channelsLast(cond.concat()));
                return Layout.channelsFirst(denoiser.forward(Var.constant(Layout.channelsLast(xt)), t, text, concat).value());
            }
        });
    }
}
