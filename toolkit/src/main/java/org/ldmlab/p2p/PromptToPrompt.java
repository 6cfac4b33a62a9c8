package org.ldmlab.p2p;

import java.util.List;
import java.util.stream.IntStream;
import org.ldmlab.InvalidInputException;
import org.ldmlab.attention.AttentionController;
import org.ldmlab.autoencoder.LatentSpace;
import org.ldmlab.ldm.LatentDiffusion;
import org.ldmlab.ldm.Models;
import org.ldmlab.sampling.ClassifierFreeGuidance;
import org.ldmlab.sampling.LatentHook;
import org.ldmlab.sampling.NoiseModel;
import org.ldmlab.sampling.Sampler;
import org.ldmlab.sampling.SamplerSettings;
import org.ldmlab.sampling.StepCallback;
import org.ldmlab.schedule.Noise;
import org.ldmlab.text.Tokenizer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A Prompt-to-Prompt edit (Hertz et al. 2022, Algorithm 1) with a text-to-image latent diffusion model: the source
 * prompt and the target prompt are sampled as ONE batch [source, target] (guidance makes the backbone's batch
 * [u_source, u_target, c_source, c_target]) from the same z_T, while an {@link AttentionEdit} rewrites the target's
 * attention maps from the source's and a {@link LocalBlend} may keep the target's latent outside the edited region.
 *
 * <p>z_T is drawn as {@link Sampler#sample(NoiseModel, org.ldmlab.sampling.Conditioning, long[], long, StepCallback)}
 * draws it for one image, [1, c, 8, 8] from {@code new Noise(seed)}, and repeated for both rows, so the source is
 * the plain sample of its prompt with that seed. Sampling must be deterministic (DDIM, eta 0): a stochastic step
 * would draw different noise for the two rows, and the target would not follow the source's trajectory.
 *
 * <p><b>The baseline</b> (the target without any edit) is the same batch sampled with nothing attached: the
 * target's row equals {@code TextToImage.sample(List.of(target), settings, seed, cb)} up to float rounding, not bit
 * for bit, because OpenBLAS's matrix product gives a row slightly different bits depending on its position in the
 * batch (measured: two equal halves of one [128, 64] x [64, 64] product differ by up to 1e-5). Sampled in the same
 * batch, an edit that injects nothing gives the baseline exactly.
 */
public final class PromptToPrompt {
    private static final int LATENT_GRID = 8; // the latents' h = w, as TextToImage samples them

    private final LatentDiffusion diffusion;
    private final LatentSpace latents;

    public PromptToPrompt(LatentDiffusion diffusion, LatentSpace latents) {
        this.diffusion = diffusion;
        this.latents = latents;
    }

    public static PromptToPrompt of(Models.Pipeline pipeline) {
        return new PromptToPrompt(pipeline.diffusion(), pipeline.latents());
    }

    /** What an edit attaches: the attention controller, and the latent hook (the local blend, or none). */
    public record Plan(AttentionController controller, LatentHook hook) {}

    /** The source image and the edited image, [3, H, W] each, about [-1, 1]. */
    public record Result(INDArray source, INDArray edited) {}

    /**
     * The controller and hook of an edit of {@code source} into {@code target}. Every bad input fails here, before
     * any sampling: an unknown word, replace with different word counts, a per-word fraction, reweight or blend
     * word that is not in its prompt, reweight without a word to reweight.
     */
    public Plan plan(String source, String target, EditSettings edit) {
        Tokenizer tokenizer = diffusion.tokenizer();
        tokenizer.encode(source);
        tokenizer.encode(target);
        AttentionController controller = edit.mode() == EditMode.REPLACE
                ? new AttentionReplace(edit.injection(), tokenizer, source, target)
                : new AttentionRefine(edit.injection(), tokenizer, source, target);
        if (edit.mode() == EditMode.REWEIGHT && edit.reweights().isEmpty()) {
            throw new InvalidInputException("--mode reweight needs at least one --reweight WORD=FACTOR, e.g. --reweight red=2");
        }
        if (!edit.reweights().isEmpty()) {
            controller = controller.andThen(new AttentionReweight(tokenizer, target, edit.reweights()));
        }
        if (edit.blendWords().isEmpty()) {
            return new Plan(controller, LatentHook.NONE);
        }
        LocalBlend blend = new LocalBlend(positions(tokenizer, source, target, edit.blendWords(), source),
                positions(tokenizer, source, target, edit.blendWords(), target), LATENT_GRID, LATENT_GRID, LocalBlend.DEFAULT_START);
        return new Plan(blend.andThen(controller), blend); // the blend reads the maps before they are edited
    }

    /** The blend words' token positions in {@code prompt}; a word in neither prompt is refused. */
    private static int[] positions(Tokenizer tokenizer, String source, String target, List<String> words, String prompt) {
        for (String word : words) {
            if (tokenizer.positionsOf(source, word).length == 0 && tokenizer.positionsOf(target, word).length == 0) {
                throw new InvalidInputException("--blend: '" + word + "' is not a word of \"" + source + "\" or of \""
                        + target + "\"; their words are: " + String.join(", ", new java.util.LinkedHashSet<>(List.of(
                        (tokenizer.decode(tokenizer.encode(source)) + " " + tokenizer.decode(tokenizer.encode(target))).split(" ")))));
            }
        }
        return words.stream().flatMapToInt(w -> IntStream.of(tokenizer.positionsOf(prompt, w))).sorted().distinct().toArray();
    }

    /** Samples the edit: the source image and the edited target image. */
    public Result edit(String source, String target, EditSettings edit, SamplerSettings settings, long seed, StepCallback cb) {
        check(settings);
        Plan plan = plan(source, target, edit);
        INDArray images = sample(source, target, plan.controller(), plan.hook(), settings, seed, cb); // [2, 3, H, W]
        return new Result(images.get(NDArrayIndex.point(0)), images.get(NDArrayIndex.point(1)));
    }

    /** The target sampled beside the source from the same z_T with nothing attached: what the edit is compared with. */
    public INDArray baseline(String source, String target, SamplerSettings settings, long seed, StepCallback cb) {
        check(settings);
        return sample(source, target, null, LatentHook.NONE, settings, seed, cb).get(NDArrayIndex.point(1)); // [3, H, W]
    }

    /** Refuses sampling settings an edit cannot use: stochastic sampling, or steps outside 1..T. */
    public void check(SamplerSettings settings) {
        settings.create(diffusion.schedule());
        if (!settings.sampler().equals("ddim") || settings.eta() != 0) {
            throw new InvalidInputException("Prompt-to-Prompt needs deterministic sampling (DDIM, eta 0), so that source and "
                    + "target follow one trajectory; got " + settings.sampler() + " with eta " + settings.eta());
        }
    }

    /** [source, target] from one z_T, one backbone call per step; {@code controller} null: nothing attached. */
    private INDArray sample(String source, String target, AttentionController controller, LatentHook hook,
            SamplerSettings settings, long seed, StepCallback cb) {
        Sampler sampler = settings.create(diffusion.schedule());
        List<String> prompts = List.of(source, target);
        NoiseModel model = settings.guidance() == 1.0 ? diffusion.noiseModel()
                : new ClassifierFreeGuidance(diffusion.noiseModel(), diffusion.conditioning(List.of(""), null), settings.guidance());
        Noise noise = new Noise(seed);
        INDArray zT = noise.standardNormal(1, diffusion.unet().config().latentChannels(), LATENT_GRID, LATENT_GRID)
                .repeat(0, prompts.size());                                                               // [2, c, 8, 8]
        INDArray z0;
        if (controller == null) {
            z0 = sampler.sample(model, diffusion.conditioning(prompts, null), zT, noise, cb, hook);
        } else {
            try (var attached = diffusion.attach(controller)) {
                z0 = sampler.sample(model, diffusion.conditioning(prompts, null), zT, noise, cb, hook);
            }
        }
        return latents.decode(z0);                                                                        // [2, 3, H, W]
    }
}
