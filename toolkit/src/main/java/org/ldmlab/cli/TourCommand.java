package org.ldmlab.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.knowm.xchart.XYChart;
import org.ldmlab.data.ImageTensors;
import org.ldmlab.data.ObjectLabel;
import org.ldmlab.data.RenderedSample;
import org.ldmlab.data.Scene;
import org.ldmlab.data.ShapesDataset;
import org.ldmlab.data.Split;
import org.ldmlab.io.AtomicFiles;
import org.ldmlab.io.Png;
import org.ldmlab.io.ProgressBar;
import org.ldmlab.ldm.Inpainting;
import org.ldmlab.ldm.InpaintingMasks;
import org.ldmlab.ldm.Models;
import org.ldmlab.ldm.TextToImage;
import org.ldmlab.sampling.SamplerSettings;
import org.ldmlab.sampling.StepCallback;
import org.ldmlab.schedule.NoiseSchedule;
import org.ldmlab.schedule.ScheduleKind;
import org.ldmlab.viz.ForwardNoisingFigure;
import org.ldmlab.viz.ImageGrid;
import org.ldmlab.viz.Plots;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code ldmlab tour}: the toolkit at a glance, as figures: the dataset, forward noising, the schedules, samples of the
 * text-to-image LDM and inpainting.
 */
final class TourCommand implements Command {
    private static final int T = 1000;
    private static final int[] NOISING_STEPS = {0, 50, 100, 200, 300, 500, 700, 999};
    private static final List<String> PROMPTS = List.of("a big red circle on the left", "a small blue square at the top",
            "a big yellow triangle in the centre", "a small green circle at the bottom",
            "a small red square above a big blue circle", "a big green triangle to the left of a small yellow square");
    private static final int SEEDS = 6;

    @Override
    public String name() {
        return "tour";
    }

    @Override
    public String summary() {
        return "render the tour figures: dataset, forward noising, schedules, text-to-image samples, inpainting";
    }

    @Override
    public String usage() {
        return """
                ldmlab tour [--out DIR] [--seed S] [--model PATH] [--inpaint-model PATH]
                  --out    where the figures go (default: the repository's figures/)
                  --seed   dataset and noise seed (default 0)
                  --model  the text-to-image checkpoint to sample from (default: the shipped one)
                  --inpaint-model  the inpainting checkpoint (default: the shipped one)""";
    }

    @Override
    public int run(Args args, PrintStream out) throws IOException {
        Path dir = Path.of(args.string("out", Repository.path("figures").toString()));
        long seed = args.longValue("seed", 0);
        String model = args.string("model", null);
        String inpaintModel = args.string("inpaint-model", null);
        args.requireAllUsed();
        AtomicFiles.checkFolder(dir);
        Models.Pipeline ldm = Models.loadPipeline(Models.resolve(model, Models.LDM), Models.LDM);
        Models.Pipeline inpaint = Models.loadPipeline(Models.resolve(inpaintModel, Models.INPAINT), Models.INPAINT);
        ShapesDataset data = new ShapesDataset(seed, Split.TEST);
        // every figure drawn before any is written: a bad model (one that samples NaN) replaces none of them
        Map<Path, AtomicFiles.Writer> figures = new LinkedHashMap<>();
        figures.put(dir.resolve("dataset_preview.png"), png(datasetPreview(data)));
        figures.put(dir.resolve("forward_noising.png"), png(forwardNoising(data, seed)));
        figures.put(dir.resolve("schedules.png"), png(Plots.image(schedules())));
        figures.put(dir.resolve("samples.png"), png(samples(ldm, seed)));
        figures.put(dir.resolve("inpainting.png"), png(inpainting(inpaint, data, seed)));
        AtomicFiles.writeAll(figures);
        figures.keySet().forEach(p -> out.println("wrote " + p));
        return 0;
    }

    private static BufferedImage datasetPreview(ShapesDataset data) {
        List<RenderedSample> samples = IntStream.range(0, 16).mapToObj(data::sample).toList();
        return new ImageGrid(samples.stream().map(RenderedSample::image).toList(), 4).scale(5)
                .captions(samples.stream().map(RenderedSample::caption).toList())
                .title("The shapes dataset (test split): 32x32 images and their captions").render();
    }

    private static BufferedImage forwardNoising(ShapesDataset data, long seed) {
        RenderedSample sample = data.sample(0);
        return ForwardNoisingFigure.render(ImageTensors.toTensor(List.of(sample.image())), T, NOISING_STEPS, seed);
    }

    /** Text to image with the shipped LDM: one row per prompt, one column per seed (50 DDIM steps, s = 3). */
    private static BufferedImage samples(Models.Pipeline pipeline, long seed) {
        TextToImage t2i = TextToImage.of(pipeline);
        SamplerSettings settings = SamplerSettings.defaults();
        List<BufferedImage> cells = new ArrayList<>();
        try (ProgressBar bar = new ProgressBar("tour samples", PROMPTS.size(), System.err)) {
            for (String prompt : PROMPTS) {
                cells.addAll(ImageTensors.pictures(t2i.sample(prompt, SEEDS, settings, seed, StepCallback.NONE)));
                bar.step();
            }
        }
        return new ImageGrid(cells, SEEDS).scale(3).rowHeaders(PROMPTS)
                .title("Samples of the shipped LDM (" + pipeline.checkpoint().step() + " training steps): 50 DDIM steps, guidance s = "
                        + settings.guidance() + ", " + SEEDS + " images per prompt").render();
    }

    /**
     * Inpainting with the shipped hybrid model: single-object test scenes, the object's box masked, and a caption
     * that changes its colour and shape but keeps size and position. Columns: image, mask, masked input, results.
     */
    private static BufferedImage inpainting(Models.Pipeline pipeline, ShapesDataset data, long seed) {
        List<BufferedImage> cells = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        List<RenderedSample> scenes = IntStream.range(0, 200).mapToObj(data::sample)
                .filter(s -> s.scene().objects().size() == 1).limit(3).toList();
        try (ProgressBar bar = new ProgressBar("tour inpainting", scenes.size(), System.err)) {
            for (RenderedSample scene : scenes) {
                ObjectLabel o = scene.scene().objects().get(0);
                String prompt = Scene.single(new ObjectLabel(next(o.shape()), next(o.colour()), o.size(), o.position())).caption();
                INDArray x = ImageTensors.toTensor(Collections.nCopies(SEEDS - 2, scene.image()));
                INDArray m = InpaintingMasks.box(scene.masks().get(0), 2, 32).repeat(0, SEEDS - 2);
                INDArray filled = new Inpainting(pipeline).fill(x, m, Collections.nCopies(SEEDS - 2, prompt),
                        SamplerSettings.defaults(), seed, StepCallback.NONE);
                cells.add(scene.image());
                cells.addAll(ImageTensors.pictures(m.repeat(1, 3).muli(2).subi(1).get(NDArrayIndex.interval(0, 1))));
                cells.addAll(ImageTensors.pictures(x.mul(m.rsub(1.0)).get(NDArrayIndex.interval(0, 1))));
                cells.addAll(ImageTensors.pictures(filled));
                rows.add(prompt);
                bar.step();
            }
        }
        return new ImageGrid(cells, SEEDS + 1).scale(3).rowHeaders(rows).columnHeaders(List.of("image", "mask", "input",
                "seed 1", "2", "3", "4")).title("Inpainting (" + pipeline.checkpoint().step()
                + " training steps): masked image and mask by concat, the caption by cross-attention").render();
    }

    private static <E extends Enum<E>> E next(E e) {
        E[] all = e.getDeclaringClass().getEnumConstants();
        return all[(e.ordinal() + 1) % all.length];
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

    private static AtomicFiles.Writer png(BufferedImage image) {
        return stream -> Png.write(image, stream);
    }
}
