package org.ldmlab.ldm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.ldmlab.InvalidInputException;
import org.ldmlab.data.ImageTensors;
import org.ldmlab.data.RenderedSample;
import org.ldmlab.data.ShapesDataset;
import org.ldmlab.data.Split;
import org.ldmlab.metrics.MeanInterval;
import org.ldmlab.sampling.StepCallback;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The round-trip error of inverting real images (Mokady et al. 2023, Figure 3 and section 4): rendered test scenes are
 * inverted under their captions and sampled back with the same caption, steps and guidance; the error is the latent
 * MSE against z_0 = E(x) and the PSNR against x, per method, guidance scale and step count. The methods:
 * <ul>
 *   <li>DDIM inversion at s = 1 (the caption alone), sampled at s: exact up to DDIM's one-step approximation at s = 1,
 *       and off the trajectory at s &gt; 1, the more the larger s;</li>
 *   <li>DDIM inversion at s, sampled at s: the guided model inverted, which the same approximation breaks;</li>
 *   <li>null-text inversion: the s = 1 inversion as pivot, one unconditional embedding fitted per step for s.</li>
 * </ul>
 * At s = 1 the three are one method, measured once (as the first).
 */
public final class InversionBenchmark {
    /** The most scenes one run inverts (one batch of the backbone per step). */
    public static final int MAX_SCENES = 256;

    /** How an image is inverted. */
    public enum Method {
        DDIM_AT_ONE("DDIM inverted at s = 1"), DDIM_AT_S("DDIM inverted at s"), NULL_TEXT("null-text inversion");

        private final String label;

        Method(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** The settings of this method at {@code steps} and guidance {@code s}. */
        public InversionSettings settings(int steps, double s) {
            return switch (this) {
                case DDIM_AT_ONE -> new InversionSettings(steps, s, 1, false);
                case DDIM_AT_S -> new InversionSettings(steps, s, s, false);
                case NULL_TEXT -> new InversionSettings(steps, s, 1, true);
            };
        }

        /** Whether the method differs from {@link #DDIM_AT_ONE} at guidance {@code s} (at s = 1 the three are one). */
        public boolean measuredAt(double s) {
            return this == DDIM_AT_ONE || s != 1;
        }
    }

    private InversionBenchmark() {}

    /** {@code n} test-split scenes of dataset seed {@code seed}: images [n, 3, 32, 32] and their captions. */
    public record Scenes(INDArray images, List<String> captions) {}

    public static Scenes scenes(int n, long seed) {
        if (n < 1 || n > MAX_SCENES) {
            throw new InvalidInputException("--n is the number of scenes, 1 to " + MAX_SCENES + "; got " + n);
        }
        ShapesDataset test = new ShapesDataset(seed, Split.TEST);
        List<RenderedSample> samples = IntStream.range(0, n).mapToObj(test::sample).toList();
        return new Scenes(ImageTensors.toTensorOf(samples), samples.stream().map(RenderedSample::caption).toList());
    }

    /** An empty table of round trips. */
    public static Table table() {
        return Table.create("inversion round trips", StringColumn.create("method"), IntColumn.create("steps"),
                DoubleColumn.create("guidance"), IntColumn.create("n"), DoubleColumn.create("latent_mse"),
                DoubleColumn.create("psnr"), DoubleColumn.create("psnr_low"), DoubleColumn.create("psnr_high"),
                DoubleColumn.create("seconds_per_image"));
    }

    /** Inverts and reconstructs {@code scenes} with one method, and appends its row to {@code table}. */
    public static void measure(ImageInversion inversion, Scenes scenes, Method method, int steps, double s, Table table) {
        long start = System.nanoTime();
        List<Inversion> inverted = inversion.invert(scenes.images(), scenes.captions(), method.settings(steps, s), StepCallback.NONE);
        ImageInversion.RoundTrip trip = inversion.roundTrip(scenes.images(), inverted, StepCallback.NONE);
        double seconds = (System.nanoTime() - start) / 1e9;
        MeanInterval psnr = MeanInterval.of(Arrays.stream(trip.psnr()).boxed().toList());
        table.stringColumn("method").append(method.label());
        table.intColumn("steps").append(steps);
        table.doubleColumn("guidance").append(s);
        table.intColumn("n").append(scenes.captions().size());
        table.doubleColumn("latent_mse").append(trip.meanLatentMse());
        table.doubleColumn("psnr").append(psnr.mean());
        table.doubleColumn("psnr_low").append(psnr.low());
        table.doubleColumn("psnr_high").append(psnr.high());
        table.doubleColumn("seconds_per_image").append(seconds / scenes.captions().size());
    }

    /** The (method, steps, guidance) runs of a sweep, in the order they are measured. */
    public record Run(Method method, int steps, double guidance) {}

    /** Every method at every step count and guidance scale it is measured at. */
    public static List<Run> runs(int[] steps, double[] scales) {
        List<Run> runs = new ArrayList<>();
        for (int s : steps) {
            for (double g : scales) {
                for (Method m : Method.values()) {
                    if (m.measuredAt(g)) {
                        runs.add(new Run(m, s, g));
                    }
                }
            }
        }
        return runs;
    }
}
