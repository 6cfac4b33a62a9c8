package org.ldmlab.ldm;

import java.util.List;
import java.util.stream.IntStream;
import org.ldmlab.data.HeldOut;
import org.ldmlab.data.RenderedSample;
import org.ldmlab.data.ShapesDataset;
import org.ldmlab.data.Split;
import org.ldmlab.metrics.Evaluation;
import org.ldmlab.sampling.SamplerKind;
import org.ldmlab.sampling.SamplerSettings;

/**
 * Classifier-free guidance trades diversity for adherence (Ho and Salimans 2022, Fig. 1; the FID-vs-scale
 * curves of LDM and DiT): at each guidance scale, one image per caption of a fixed real set, scored by an
 * {@link Evaluation}. The real set is the first test-split samples whose objects are all trained colour-shape
 * pairs: the captions the model was trained on, single- and two-object in the dataset's mix (about 60 / 40),
 * with the held-out pairs left out of both the prompts and FID's real set (`ldmlab eval` tests those apart).
 */
public final class GuidanceSweep {
    /** One scale's numbers; seconds: sampling and scoring. */
    public record Result(double scale, Evaluation.Result scores, double seconds) {}

    private final TextToImage model;
    private final Evaluation evaluation;
    private final int steps;
    private final int threads;

    public GuidanceSweep(TextToImage model, Evaluation evaluation, int steps, int threads) {
        this.model = model;
        this.evaluation = evaluation;
        this.steps = steps;
        this.threads = threads;
    }

    /** The first {@code n} samples of the test split of dataset {@code seed} without a held-out combination. */
    public static List<RenderedSample> realSet(int n, long seed) {
        ShapesDataset test = new ShapesDataset(seed, Split.TEST);
        return IntStream.iterate(0, i -> i + 1).mapToObj(test::sample).filter(s -> !HeldOut.appearsIn(s.scene())).limit(n).toList();
    }

    /** One image per caption at guidance {@code scale} (DDIM, eta 0), batch k seeded with seed + k * batch size; scored. */
    public Result run(double scale, long seed, Runnable afterBatch) {
        long start = System.nanoTime();
        var images = model.sampleAll(evaluation.captions(), new SamplerSettings(SamplerKind.DDIM, steps, 0, scale), seed, threads, afterBatch);
        return new Result(scale, evaluation.score(images), (System.nanoTime() - start) / 1e9);
    }
}
