package org.ldmlab.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.knowm.xchart.XYChart;
import org.ldmlab.data.ImageTensors;
import org.ldmlab.data.RenderedSample;
import org.ldmlab.data.ShapesDataset;
import org.ldmlab.data.Split;
import org.ldmlab.io.Png;
import org.ldmlab.schedule.NoiseSchedule;
import org.ldmlab.schedule.ScheduleKind;
import org.ldmlab.viz.ForwardNoisingFigure;
import org.ldmlab.viz.ImageGrid;
import org.ldmlab.viz.Plots;

/** {@code ldmlab tour}: the toolkit at a glance, as figures: the dataset, forward noising, the schedules. */
final class TourCommand implements Command {
    private static final int T = 1000;
    private static final int[] NOISING_STEPS = {0, 50, 100, 200, 300, 500, 700, 999};

    @Override
    public String name() {
        return "tour";
    }

    @Override
    public String summary() {
        return "render the tour figures: dataset preview, forward noising, schedules";
    }

    @Override
    public String usage() {
        return """
                ldmlab tour [--out DIR] [--seed S]
                  --out   where the figures go (default: the repository's figures/)
                  --seed  dataset and noise seed (default 0)""";
    }

    @Override
    public int run(Args args, PrintStream out) throws IOException {
        Path dir = Path.of(args.string("out", Repository.path("figures").toString()));
        long seed = args.longValue("seed", 0);
        args.requireAllUsed();
        ShapesDataset data = new ShapesDataset(seed, Split.TEST);
        List<Path> written = new ArrayList<>();
        written.add(save(datasetPreview(data), dir.resolve("dataset_preview.png")));
        written.add(save(forwardNoising(data, seed), dir.resolve("forward_noising.png")));
        written.add(save(Plots.image(schedules()), dir.resolve("schedules.png")));
        written.forEach(p -> out.println("wrote " + p));
        return 0;
    }

    private static java.awt.image.BufferedImage datasetPreview(ShapesDataset data) {
        List<RenderedSample> samples = IntStream.range(0, 16).mapToObj(data::sample).toList();
        return new ImageGrid(samples.stream().map(RenderedSample::image).toList(), 4).scale(5)
                .captions(samples.stream().map(RenderedSample::caption).toList())
                .title("The shapes dataset (test split): 32x32 images and their captions").render();
    }

    private static java.awt.image.BufferedImage forwardNoising(ShapesDataset data, long seed) {
        RenderedSample sample = data.sample(0);
        return ForwardNoisingFigure.render(ImageTensors.toTensor(List.of(sample.image())), T, NOISING_STEPS, seed);
    }

    /** abar_t for each schedule: how much of x_0 survives at step t. */
    private static XYChart schedules() {
        XYChart chart = Plots.lineChart("Noise schedules, T = " + T, "t", "abar_t = prod (1 - beta_s)", 640, 400);
        double[] t = IntStream.range(0, T).asDoubleStream().toArray();
        for (ScheduleKind kind : ScheduleKind.values()) {
            NoiseSchedule s = NoiseSchedule.of(kind, T);
            Plots.line(chart, kind.cliName(), t, IntStream.range(0, T).mapToDouble(s::alphaBar).toArray());
        }
        Plots.xTicksEvery(chart, 100);
        return chart;
    }

    private static Path save(java.awt.image.BufferedImage image, Path file) throws IOException {
        Png.write(image, file);
        return file;
    }
}
