package org.ldmlab.ldm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldmlab.InvalidInputException;
import org.ldmlab.autoencoder.KlAutoencoder;
import org.ldmlab.checkpoint.Checkpoint;
import org.ldmlab.data.RenderedSample;
import org.ldmlab.data.ShapesDataset;
import org.ldmlab.data.Split;
import org.ldmlab.dit.DiTPreset;
import org.ldmlab.dit.DiTVariant;
import org.ldmlab.metrics.Evaluation;
import org.ldmlab.metrics.FlopCounter;
import org.ldmlab.sampling.SamplerKind;
import org.ldmlab.sampling.SamplerSettings;
import org.ldmlab.text.TextEncoderConfig;
import org.ldmlab.text.TokenMixing;
import org.ldmlab.text.Tokenizer;

/** A two-model comparison on tiny runs: every model trained and evaluated at each interval, resumable, and its plan kept. */
class TrainingComparisonTest {
    @TempDir
    Path dir;

    private final Tokenizer tokenizer = Tokenizer.forShapes();
    private final TextEncoderConfig text = TextEncoderConfig.forTokenizer(tokenizer, TokenMixing.FULL);
    private final KlAutoencoder ae = Models.loadAutoencoder(Models.shipped(Models.AUTOENCODER));
    private final LatentPool pool = LatentPool.encode(ae, new ShapesDataset(0, Split.TRAIN), 64, false, 0);
    private final Evaluation evaluation = new Evaluation(Models.loadClassifier(Models.shipped(Models.CLASSIFIER)), fewOfEach());
    private final List<TrainingComparison.Entry> entries = List.of(
            new TrainingComparison.Entry("adaln", DiTPreset.S_4_TINY.config(DiTVariant.ADALN, text.width())),
            new TrainingComparison.Entry("adaln-zero", DiTPreset.S_4_TINY.config(DiTVariant.ADALN_ZERO, text.width())));

    /** 8 single-object and 8 two-object captions of the evaluation's real set. */
    private static List<RenderedSample> fewOfEach() {
        List<RenderedSample> all = Evaluation.realSet(1, 8, 0); // every single-object caption, then 8 pairs
        List<RenderedSample> few = new java.util.ArrayList<>(all.subList(0, 8));
        few.addAll(all.subList(all.size() - 8, all.size()));
        return few;
    }

    private TrainingComparison comparison(long steps, long every) {
        return new TrainingComparison(entries, dir, tokenizer, text, ae, pool, evaluation,
                new TrainingComparison.Plan(steps, every, 4, 5e-4, 0, 1, new SamplerSettings(SamplerKind.DDIM, 2, 0, 3), 1));
    }

    private static final PrintStream QUIET = new PrintStream(java.io.OutputStream.nullOutputStream());

    @Test
    void everyModelIsEvaluatedAtEveryIntervalAndARerunOnlyReadsThePoints() throws IOException {
        List<TrainingComparison.Point> points = comparison(2, 1).run("test", QUIET);
        assertEquals(List.of("adaln@1", "adaln@2", "adaln-zero@1", "adaln-zero@2"),
                points.stream().map(p -> p.model() + "@" + p.step()).toList());
        for (TrainingComparison.Point p : points) {
            assertTrue(Double.isFinite(p.fid()) && Double.isFinite(p.loss()) && p.seconds() > 0, p.toString());
            assertTrue(p.single() >= 0 && p.single() <= 1 && p.pair() >= 0 && p.pair() <= 1, p.toString());
            assertEquals(p.gflops() * 4 * p.step() * 3, p.trainingGflops(), 1e-12, "training compute = Gflops x batch x steps x 3");
        }
        assertEquals(FlopCounter.of(entries.get(0).backbone(), tokenizer.contextLength()).totalGflops(), points.get(0).gflops());
        long modified = Files.getLastModifiedTime(dir.resolve("adaln.zip")).toMillis();
        assertEquals(points, comparison(2, 1).run("test", QUIET), "the points are read back, not recomputed");
        assertEquals(modified, Files.getLastModifiedTime(dir.resolve("adaln.zip")).toMillis(), "nothing is trained again");
        assertEquals(2, Checkpoint.load(dir.resolve("adaln-zero.zip"), Models.LDM).step());
        assertEquals(2, TrainingComparison.summary(points).rowCount());
    }

    @Test
    void aFolderStartedWithOtherSettingsIsRefused() throws IOException {
        comparison(1, 1).run("test", QUIET);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> comparison(2, 1).run("test", QUIET));
        assertTrue(e.getMessage().contains("other settings"), e.getMessage());
        assertEquals(1, TrainingComparison.savedSteps(dir)[0]);
    }

    @Test
    void theStepsWithinABudgetLeaveRoomForTheEvaluations() {
        double[][] costs = {{0.2, 10}, {0.3, 20}}; // seconds per step, per evaluation
        long steps = TrainingComparison.stepsWithin(1000, costs, 4); // (1000 - 4 x 30) / 0.5 = 1760 -> 1600 (multiple of 200)
        assertEquals(1600, steps);
        assertEquals(200, TrainingComparison.stepsWithin(10, costs, 4), "at least one interval of 50 per evaluation");
        assertEquals(1600 * 0.5 + 4 * 30, TrainingComparison.secondsFor(1600, costs, 4), 1e-9);
    }
}
