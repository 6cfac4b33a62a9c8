package org.ldmlab.ldm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.ldmlab.InvalidInputException;
import org.ldmlab.autoencoder.LatentSpace;
import org.ldmlab.metrics.Psnr;
import org.ldmlab.sampling.ClassifierFreeGuidance;
import org.ldmlab.sampling.Conditioning;
import org.ldmlab.sampling.DdimInversion;
import org.ldmlab.sampling.DdimSampler;
import org.ldmlab.sampling.NoiseModel;
import org.ldmlab.sampling.SamplingStep;
import org.ldmlab.sampling.StepCallback;
import org.ldmlab.schedule.Noise;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Real images into the model (the first half of editing a real image, Mokady et al. 2023, section 3): encode
 * z_0 = E(x), run DDIM backwards to z_T under the image's caption ({@link DdimInversion}), and, for guided sampling,
 * optionally fit null-text embeddings ({@link NullTextInversion}). Sampling from z_T with the same caption, steps and
 * guidance reconstructs the image: exactly up to DDIM inversion's one-step approximation at guidance 1, and, without
 * null-text inversion, worse the larger the guidance (the error the round trip measures).
 */
public final class ImageInversion {
    private final LatentSpace latents;
    private final LatentDiffusion diffusion;

    public ImageInversion(LatentSpace latents, LatentDiffusion diffusion) {
        this.latents = latents;
        this.diffusion = diffusion;
    }

    public static ImageInversion of(Models.Pipeline pipeline) {
        return new ImageInversion(pipeline.latents(), pipeline.diffusion());
    }

    /**
     * Inverts {@code images} [B, 3, H, W] (in [-1, 1]) under one caption each. Bad input (a caption's unknown word,
     * steps beyond T, images of another size) fails before any work.
     *
     * @param cb sees the S inversion steps, then, with null-text inversion, its S optimised steps
     */
    public List<Inversion> invert(INDArray images, List<String> captions, InversionSettings settings, StepCallback cb) {
        check(images, captions, settings);
        INDArray z0 = latents.encode(images);                                           // [B, c, h, w]
        Conditioning cond = diffusion.conditioning(captions, null);
        Conditioning empty = diffusion.conditioning(List.of(""), null);
        NoiseModel inverted = settings.inversionGuidance() == 1 ? diffusion.noiseModel()
                : new ClassifierFreeGuidance(diffusion.noiseModel(), empty, settings.inversionGuidance());
        DdimInversion.Trajectory trajectory = new DdimInversion(diffusion.schedule(), settings.steps()).invert(inverted, cond, z0, cb);
        INDArray embeddings = settings.nullText()                                        // [S, B, M, d]
                ? new NullTextInversion(diffusion, settings.steps(), settings.guidance()).optimise(trajectory, cond, empty, cb).embeddings()
                : null;
        List<Inversion> out = new ArrayList<>();
        for (int b = 0; b < captions.size(); b++) {
            out.add(new Inversion(captions.get(b), settings, row(z0, b), row(trajectory.zT(), b),
                    embeddings == null ? null : embeddings.get(NDArrayIndex.all(), NDArrayIndex.point(b)).dup())); // [S, M, d]
        }
        return out;
    }

    /** Refuses what {@link #invert} cannot do, before any work. */
    public void check(INDArray images, List<String> captions, InversionSettings settings) {
        diffusion.schedule().evenlySpacedTimesteps(settings.steps());
        if (diffusion.conditioning(List.of(""), null).context() == null) {
            throw new InvalidInputException("this model reads no caption (a concat-only model); inversion needs a text-to-image model");
        }
        captions.forEach(diffusion.tokenizer()::encode);
        long side = diffusion.latentShape()[1] * latents.autoencoder().config().factor();
        if (images.rank() != 4 || images.size(0) != captions.size() || images.size(1) != 3 || images.size(2) != side || images.size(3) != side) {
            throw new InvalidInputException("inversion takes one caption per image and images [B, 3, " + side + ", " + side + "]; got "
                    + captions.size() + " captions and images " + Arrays.toString(images.shape()));
        }
    }

    /** The latents [B, c, h, w] that sampling from the inversions gives (their steps and guidance, DDIM, eta 0). */
    public INDArray reconstructLatents(List<Inversion> inversions, StepCallback cb) {
        Inversion first = inversions.get(0);
        inversions.forEach(i -> i.check(first.sampler()));
        INDArray zT = Nd4j.concat(0, inversions.stream().map(Inversion::zT).toArray(INDArray[]::new));  // [B, c, h, w]
        Conditioning cond = diffusion.conditioning(inversions.stream().map(Inversion::caption).toList(), null);
        double s = first.settings().guidance();
        NoiseModel model = s == 1 ? diffusion.noiseModel()
                : new ClassifierFreeGuidance(diffusion.noiseModel(), unconditional(inversions), s);
        return new DdimSampler(diffusion.schedule(), first.settings().steps(), 0).sample(model, cond, zT, new Noise(0), cb);
    }

    /**
     * A round trip, per image: the decoded reconstruction [B, 3, H, W], the latent MSE between z_0 = E(x) and the
     * reconstruction's latent, and the PSNR of the reconstruction against x (which the autoencoder alone,
     * {@link #autoencoderPsnr}, bounds).
     */
    public record RoundTrip(INDArray reconstruction, double[] latentMse, double[] psnr) {
        public double meanLatentMse() {
            return Arrays.stream(latentMse).average().orElse(Double.NaN);
        }

        public double meanPsnr() {
            return Arrays.stream(psnr).average().orElse(Double.NaN);
        }
    }

    /**
     * The round trip of {@code images} [B, 3, H, W] through their inversions and back. A reconstruction that is not
     * finite (a broken model, a huge guidance scale) is refused, not measured.
     */
    public RoundTrip roundTrip(INDArray images, List<Inversion> inversions, StepCallback cb) {
        INDArray z = reconstructLatents(inversions, cb);                               // [B, c, h, w]
        if (!Double.isFinite(z.sumNumber().doubleValue())) {
            throw new InvalidInputException("sampling from the inversion gave non-finite latents (NaN or infinity): the model's "
                    + "weights or the guidance scale (" + inversions.get(0).settings().guidance() + ") break sampling");
        }
        INDArray x = latents.decode(z);                                                 // [B, 3, H, W]
        double[] mse = new double[inversions.size()];
        double[] psnr = new double[inversions.size()];
        for (int b = 0; b < mse.length; b++) {
            INDArray diff = row(z, b).sub(inversions.get(b).z0());
            mse[b] = diff.muli(diff).meanNumber().doubleValue();
            psnr[b] = Psnr.of(row(images, b), row(x, b));
        }
        return new RoundTrip(x, mse, psnr);
    }

    /** PSNR of D(E(x)) against x per image: the best any round trip through the latent space can do. */
    public double[] autoencoderPsnr(INDArray images) {
        INDArray x = latents.decode(latents.encode(images));
        double[] psnr = new double[(int) images.size(0)];
        for (int b = 0; b < psnr.length; b++) {
            psnr[b] = Psnr.of(row(images, b), row(x, b));
        }
        return psnr;
    }

    /**
     * The unconditional conditioning of each sampling step for a batch whose row r samples from {@code rows.get(r)}:
     * its null-text embedding for the step, or the empty prompt's context for a plain DDIM inversion or a null row (a
     * row sampled from a seed).
     */
    public Function<SamplingStep, Conditioning> unconditional(List<Inversion> rows) {
        Conditioning empty = diffusion.conditioning(List.of(""), null);
        if (rows.stream().allMatch(r -> r == null || r.nullText() == null)) {
            return step -> empty;
        }
        INDArray real = empty.expandTo(rows.size()).realTokens();                       // [R, M]
        return step -> new Conditioning(Nd4j.concat(0, rows.stream()
                .map(r -> r == null || r.nullText() == null ? empty.context() : r.nullTextAt(step.index())).toArray(INDArray[]::new)), real, null); // [R, M, d]
    }

    private static INDArray row(INDArray batch, int b) {
        return batch.get(NDArrayIndex.interval(b, b + 1)).dup();                       // [1, ...]
    }
}
