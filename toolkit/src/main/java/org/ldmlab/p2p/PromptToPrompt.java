package org.ldmlab.p2p;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.ldmlab.InvalidInputException;
import org.ldmlab.attention.AttentionController;
import org.ldmlab.autoencoder.LatentSpace;
import org.ldmlab.ldm.ImageInversion;
import org.ldmlab.ldm.Inversion;
import org.ldmlab.ldm.LatentDiffusion;
import org.ldmlab.ldm.Models;
import org.ldmlab.sampling.ClassifierFreeGuidance;
import org.ldmlab.sampling.LatentHook;
import org.ldmlab.sampling.NoiseModel;
import org.ldmlab.sampling.Sampler;
import org.ldmlab.sampling.SamplerKind;
import org.ldmlab.sampling.SamplerSettings;
import org.ldmlab.sampling.StepCallback;
import org.ldmlab.schedule.Noise;
import org.ldmlab.text.Tokenizer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
 * <p><b>Real images</b> start from their inversion instead ({@link Request#ofImage}, Mokady et al. 2023, section 4): z_T
 * from DDIM inversion under the source caption, and after null-text inversion its per-step unconditional embeddings for
 * both rows, so the source row retraces (reconstructs) the image while the target row is edited.
 *
 * <p><b>The baseline</b> (the target without any edit) is the same batch sampled with nothing attached: the
 * target's row equals {@code TextToImage.sample(List.of(target), settings, seed, cb)} up to float rounding, not bit
 * for bit, because OpenBLAS's matrix product gives a row slightly different bits depending on its position in the
 * batch (measured: two equal halves of one [128, 64] x [64, 64] product differ by up to 1e-5). Sampled in the same
 * batch, an edit that injects nothing gives the baseline exactly.
 *
 * <p>Several edits can be sampled as one batch ({@link Request}, {@link EditBatch}), each from its own seed's z_T:
 * what benchmarks and sweeps use, since a backbone call on many rows costs little more than on two.
 */
public final class PromptToPrompt {

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
        long[] latent = diffusion.latentShape(); // [c, h, w]
        LocalBlend blend = new LocalBlend(positions(tokenizer, source, target, edit.blendWords(), source),
                positions(tokenizer, source, target, edit.blendWords(), target), (int) latent[1], (int) latent[2], LocalBlend.DEFAULT_START);
        return new Plan(blend.andThen(controller), blend); // the blend reads the maps before they are edited
    }

    /** The blend words' token positions in {@code prompt}; a word in neither prompt is refused. */
    private static int[] positions(Tokenizer tokenizer, String source, String target, List<String> words, String prompt) {
        for (String word : words) {
            if (tokenizer.positionsOf(source, word).length == 0 && tokenizer.positionsOf(target, word).length == 0) {
                throw new InvalidInputException("--blend: '" + InvalidInputException.shorten(word) + "' is not a word of \""
                        + InvalidInputException.shorten(source) + "\" (" + PromptWords.words(tokenizer, source) + ") or of \""
                        + InvalidInputException.shorten(target) + "\" (" + PromptWords.words(tokenizer, target) + ")");
            }
        }
        return words.stream().flatMapToInt(w -> IntStream.of(tokenizer.positionsOf(prompt, w))).sorted().distinct().toArray();
    }

    /** Samples the edit: the source image and the edited target image. */
    public Result edit(String source, String target, EditSettings edit, SamplerSettings settings, long seed, StepCallback cb) {
        return edit(List.of(new Request(source, target, edit, seed)), settings, null, cb).get(0);
    }

    /** The target sampled beside the source from the same z_T with nothing attached: what the edit is compared with. */
    public INDArray baseline(String source, String target, SamplerSettings settings, long seed, StepCallback cb) {
        return baseline(List.of(new Request(source, target, EditSettings.defaults(), seed)), settings, null, cb).get(0);
    }

    /**
     * One edit of a batch: its prompts, how it edits, and where it starts: the seed of its z_T, or a real image's
     * {@link Inversion} (its z_T, and its null-text embeddings as the unconditional context of both prompts, as the
     * null-text authors edit). Sampled in a batch, an edit gives what it gives alone up to the float rounding of another
     * batch position.
     *
     * @param inversion null to draw z_T from {@code seed}
     */
    public record Request(String source, String target, EditSettings edit, long seed, Inversion inversion) {
        /** An edit of the image the source prompt gives from {@code seed}. */
        public Request(String source, String target, EditSettings edit, long seed) {
            this(source, target, edit, seed, null);
        }

        /** An edit of a real image, inverted under {@code inversion.caption()}, the source prompt. */
        public static Request ofImage(Inversion inversion, String target, EditSettings edit) {
            return new Request(inversion.caption(), target, edit, 0, inversion);
        }

        /** z_T of both rows, [2, c, h, w]. */
        INDArray start(long[] latent) {
            INDArray zT = inversion != null ? inversion.zT() : new Noise(seed).standardNormal(1, latent[0], latent[1], latent[2]);
            return zT.repeat(0, 2);
        }
    }

    /**
     * Samples several edits as one batch (see {@link EditBatch}); every request is planned (and checked) first.
     *
     * @param observer null, or a controller that sees every layer's probabilities after the edits, prompts
     *                 [s_1, t_1, s_2, t_2, ...] (e.g. an {@link org.ldmlab.attention.AttentionStore}: the maps as used)
     */
    public List<Result> edit(List<Request> requests, SamplerSettings settings, AttentionController observer, StepCallback cb) {
        check(settings, requests);
        EditBatch batch = new EditBatch(requests.stream().map(r -> plan(r.source(), r.target(), r.edit())).toList());
        INDArray images = sample(requests, observer == null ? batch : batch.andThen(observer), batch, settings, cb); // [2k, 3, H, W]
        return IntStream.range(0, requests.size()).mapToObj(p -> new Result(images.get(NDArrayIndex.point(2L * p)),
                images.get(NDArrayIndex.point(2L * p + 1)))).toList();
    }

    /**
     * The baselines of several edits, sampled as one batch with nothing but {@code observer} (null: nothing) attached;
     * their edit settings are not used.
     */
    public List<INDArray> baseline(List<Request> requests, SamplerSettings settings, AttentionController observer, StepCallback cb) {
        check(settings, requests);
        INDArray images = sample(requests, observer, LatentHook.NONE, settings, cb);          // [2k, 3, H, W]
        return IntStream.range(0, requests.size()).mapToObj(p -> images.get(NDArrayIndex.point(2L * p + 1))).toList(); // [3, H, W] each
    }

    /**
     * Refuses sampling settings an edit cannot use: stochastic sampling, steps outside 1..T, or steps (and, after
     * null-text inversion, guidance) other than a real image's inversion was made for.
     */
    public void check(SamplerSettings settings, List<Request> requests) {
        check(settings);
        requests.stream().filter(r -> r.inversion() != null).forEach(r -> r.inversion().check(settings));
    }

    /** Refuses sampling settings an edit cannot use: stochastic sampling, or steps outside 1..T. */
    public void check(SamplerSettings settings) {
        settings.create(diffusion.schedule());
        if (settings.sampler() != SamplerKind.DDIM || settings.eta() != 0) {
            throw new InvalidInputException("Prompt-to-Prompt needs deterministic sampling (DDIM, eta 0), so that source and "
                    + "target follow one trajectory; got " + settings.sampler() + " with eta " + settings.eta());
        }
    }

    /**
     * [s_1, t_1, s_2, t_2, ...], each pair from its own z_T, one backbone call per step; {@code controller} null:
     * nothing attached.
     */
    private INDArray sample(List<Request> requests, AttentionController controller, LatentHook hook,
            SamplerSettings settings, StepCallback cb) {
        if (requests.isEmpty()) {
            throw new InvalidInputException("a batch of edits needs at least one edit");
        }
        Sampler sampler = settings.create(diffusion.schedule());
        List<String> prompts = requests.stream().flatMap(r -> Stream.of(r.source(), r.target())).toList();
        List<Inversion> rows = requests.stream().flatMap(r -> Stream.of(r.inversion(), r.inversion())).toList(); // null: from a seed
        NoiseModel model = settings.guidance() == 1.0 ? diffusion.noiseModel()
                : new ClassifierFreeGuidance(diffusion.noiseModel(), new ImageInversion(latents, diffusion).unconditional(rows), settings.guidance());
        long[] latent = diffusion.latentShape(); // [c, h, w]
        INDArray zT = Nd4j.concat(0, requests.stream().map(r -> r.start(latent)).toArray(INDArray[]::new));      // [2k, c, h, w]
        Noise noise = new Noise(requests.get(0).seed()); // unused by DDIM at eta 0; the first pair's, as when sampled alone
        INDArray z0;
        if (controller == null) {
            z0 = sampler.sample(model, diffusion.conditioning(prompts, null), zT, noise, cb, hook);
        } else {
            try (var attached = diffusion.attach(controller)) {
                z0 = sampler.sample(model, diffusion.conditioning(prompts, null), zT, noise, cb, hook);
            }
        }
        return settings.checkSamples(latents.decode(z0));                                                 // [2k, 3, H, W]
    }
}
