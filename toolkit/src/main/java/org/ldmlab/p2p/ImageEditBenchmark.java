package org.ldmlab.p2p;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.ldmlab.attention.Localisation;
import org.ldmlab.data.Attributes.Colour;
import org.ldmlab.data.ImageTensors;
import org.ldmlab.data.ObjectLabel;
import org.ldmlab.data.RenderedSample;
import org.ldmlab.data.Renderer;
import org.ldmlab.data.Scene;
import org.ldmlab.ldm.ImageInversion;
import org.ldmlab.ldm.Inpainting;
import org.ldmlab.ldm.InpaintingMasks;
import org.ldmlab.ldm.Inversion;
import org.ldmlab.ldm.InversionSettings;
import org.ldmlab.ldm.Models;
import org.ldmlab.metrics.AttributeClassifier;
import org.ldmlab.metrics.MeanInterval;
import org.ldmlab.metrics.ObjectMasks;
import org.ldmlab.metrics.Proportion;
import org.ldmlab.metrics.Psnr;
import org.ldmlab.metrics.Ssim;
import org.ldmlab.sampling.SamplerSettings;
import org.ldmlab.sampling.StepCallback;
import org.ldmlab.viz.ImageGrid;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Editing real images against exact targets: every test scene is rendered, then rendered again with one attribute of one
 * object changed ({@link EditPair}: colour, shape or size of a single object, or of one object of a pair) and the same
 * jitter, which is the ideal edit pixel for pixel. Each method edits the rendered source given its caption and the
 * target caption, and is scored against the ideal: PSNR and SSIM; PSNR outside the edited object (its source and target
 * pixels: what should not change); the IoU of the edited object's pixels (found by its target colour) with the target's;
 * whether the attribute classifier reads the target scene; seconds per edit. No CLIP-like proxy is needed.
 *
 * <p>The methods, each at its documented defaults (DDIM, 50 steps, s = 3; Prompt-to-Prompt's word swap, cross 0.8,
 * self 0.4): DDIM inversion (at s = 1) + Prompt-to-Prompt; null-text inversion + Prompt-to-Prompt (Mokady et al. 2023);
 * DDIM inversion + resampling with the target caption (nothing injected); and the shipped inpainting model given the
 * edited object's box (its source and target pixels, grown by 2 as the model was trained) and the target caption: the
 * reference that needs a mask. "No edit" scores the source itself, the floor every edit must beat on the ideal.
 */
public final class ImageEditBenchmark {
    /** Scenes per batch: {@link EditBenchmark#BATCH} pairs. */
    public static final int BATCH = EditBenchmark.BATCH;
    /** The kinds edited, in turn: position is left out (an edit that moves an object is not a local edit). */
    public static final List<EditKind> KINDS = List.of(EditKind.COLOUR, EditKind.SHAPE, EditKind.SIZE, EditKind.PAIR);
    /** The inpainting mask's margin around the edited object, as the inpainting model's training masks. */
    private static final int MASK_MARGIN = 2;

    /** The methods compared; "no edit" is the floor. */
    public enum Method {
        NO_EDIT("no edit (the source)", "no edit"), DDIM_P2P("DDIM inversion + P2P", "DDIM + P2P"),
        NULL_TEXT_P2P("null-text inversion + P2P", "null-text + P2P"), RESAMPLE("DDIM inversion + target caption", "DDIM + target"),
        INPAINT("inpainting, true mask", "inpainting");

        private final String label;
        private final String shortLabel;

        Method(String label, String shortLabel) {
            this.label = label;
            this.shortLabel = shortLabel;
        }

        public String label() {
            return label;
        }

        /** What a figure's column is headed. */
        public String shortLabel() {
            return shortLabel;
        }
    }

    /**
     * One benchmark scene: the caption pair, the rendered source [3, H, W], the ideal target [3, H, W], the edited
     * object's pixels in the source and target together (the edit region, [H, W]) and in the target alone [H, W].
     */
    public record Case(EditPair pair, INDArray source, INDArray ideal, INDArray region, INDArray targetMask) {}

    /** One edit's scores against the ideal target. */
    public record Score(double psnr, double ssim, double psnrOutside, double iou, boolean success) {}

    private ImageEditBenchmark() {}

    /**
     * {@code n} scenes, the kinds of {@link #KINDS} in turn, from the test split ({@link EditPair#draw}); scene i is
     * rendered, source and target alike, with the jitter of {@code new SplittableRandom(seed * 1_000_003 + i)}.
     */
    public static List<Case> cases(int n, long seed) {
        if (n < 1 || n > KINDS.size() * EditPair.MAX_PER_KIND) {
            throw new org.ldmlab.InvalidInputException("--n is the number of scenes, 1 to " + KINDS.size() * EditPair.MAX_PER_KIND + "; got " + n);
        }
        int perKind = (n + KINDS.size() - 1) / KINDS.size();
        List<EditPair> drawn = EditPair.draw(perKind, seed, KINDS);                    // kind by kind
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            cases.add(render(drawn.get((i % KINDS.size()) * perKind + i / KINDS.size()), seed * 1_000_003 + i)); // kinds in turn
        }
        return cases;
    }

    /** A caption pair rendered as a case: source and ideal target with the jitter of {@code new SplittableRandom(jitter)}. */
    public static Case render(EditPair pair, long jitter) {
        RenderedSample source = Renderer.render(pair.source(), new SplittableRandom(jitter));
        RenderedSample target = Renderer.render(pair.target(), new SplittableRandom(jitter));
        INDArray before = masks(source.image(), pair.source()).get(pair.object());         // [H, W]
        INDArray after = masks(target.image(), pair.target()).get(pair.object());
        return new Case(pair, image(source.image()), image(target.image()), Transforms.max(before, after), after);
    }

    /** The scores of {@code edited} [3, H, W] as an edit of {@code c}, with what the classifier reads in it (slot order). */
    public static Score score(Case c, INDArray edited, List<ObjectLabel> reading) {
        // the edited object's pixels: nearest to its target colour among every colour of source and target (an object
        // left in its source colour must not count as recoloured just because that colour is nearer to it than the background)
        List<Colour> colours = Stream.concat(c.pair().source().objects().stream(), c.pair().target().objects().stream())
                .map(ObjectLabel::colour).distinct().toList();
        INDArray found = ObjectMasks.fromColours(ImageTensors.toImage(edited), colours)
                .get(colours.indexOf(c.pair().target().objects().get(c.pair().object()).colour()));
        return new Score(Psnr.of(c.ideal(), edited), Ssim.of(c.ideal(), edited), Psnr.within(c.source(), edited, c.region().rsub(1)),
                Localisation.iou(found, c.targetMask(), 0.5), reading.equals(AttributeClassifier.canonicalSlots(c.pair().target())));
    }

    /** What one method made of every case, in order, and the wall time it took in all. */
    public record Edits(List<INDArray> images, double seconds) {}

    /**
     * Edits every case with every method, batch by batch.
     *
     * @param afterBatch called after each method's batch ({@link #units} calls in all)
     */
    public static Map<Method, Edits> run(Models.Pipeline ldm, Models.Pipeline inpainting, List<Case> cases, SamplerSettings settings,
            Runnable afterBatch) {
        check(ldm, settings);
        PromptToPrompt p2p = PromptToPrompt.of(ldm);
        ImageInversion inversion = ImageInversion.of(ldm);
        InversionSettings plain = new InversionSettings(settings.steps(), settings.guidance(), 1, false);
        Map<Method, List<INDArray>> images = new EnumMap<>(Method.class);
        Map<Method, Double> seconds = new EnumMap<>(Method.class);
        for (Method m : Method.values()) {
            images.put(m, new ArrayList<>());
            seconds.put(m, 0.0);
        }
        for (int from = 0; from < cases.size(); from += BATCH) {
            List<Case> batch = cases.subList(from, Math.min(from + BATCH, cases.size()));
            INDArray sources = Nd4j.stack(0, batch.stream().map(Case::source).toArray(INDArray[]::new));     // [k, 3, H, W]
            List<String> sourceCaptions = batch.stream().map(c -> c.pair().sourceCaption()).toList();
            List<String> targets = batch.stream().map(c -> c.pair().targetCaption()).toList();
            batch.forEach(c -> images.get(Method.NO_EDIT).add(c.source()));

            long start = System.nanoTime();
            List<Inversion> ddim = inversion.invert(sources, sourceCaptions, plain, StepCallback.NONE);
            double inverting = seconds(start);
            afterBatch.run();
            timed(seconds, Method.DDIM_P2P, inverting, () -> edit(p2p, ddim, targets, settings, images.get(Method.DDIM_P2P)));
            afterBatch.run();
            timed(seconds, Method.RESAMPLE, inverting, () -> {
                INDArray z = inversion.reconstructLatents(withCaptions(ddim, targets), StepCallback.NONE);        // [k, c, h, w]
                unstack(ldm.latents().decode(z), images.get(Method.RESAMPLE));
            });
            afterBatch.run();
            timed(seconds, Method.NULL_TEXT_P2P, 0, () -> edit(p2p,
                    inversion.invert(sources, sourceCaptions, plain.withNullText(true), StepCallback.NONE), targets, settings,
                    images.get(Method.NULL_TEXT_P2P)));
            afterBatch.run();
            timed(seconds, Method.INPAINT, 0, () -> {
                INDArray masks = Nd4j.concat(0, batch.stream().map(c -> InpaintingMasks.box(c.region(), MASK_MARGIN, (int) c.region().size(0)))
                        .toArray(INDArray[]::new));                                                      // [k, 1, H, W]
                unstack(new Inpainting(inpainting).fill(sources, masks, targets, settings, 0, StepCallback.NONE), images.get(Method.INPAINT));
            });
            afterBatch.run();
        }
        Map<Method, Edits> out = new EnumMap<>(Method.class);
        images.forEach((m, list) -> out.put(m, new Edits(list, seconds.get(m))));
        return out;
    }

    /** Refuses settings a run cannot use, before any work: stochastic sampling, steps beyond T, or s = 1 (null-text needs s != 1). */
    public static void check(Models.Pipeline ldm, SamplerSettings settings) {
        PromptToPrompt.of(ldm).check(settings);
        new InversionSettings(settings.steps(), settings.guidance(), 1, true);
    }

    /**
     * The first {@code rows} cases (kinds in turn) as a grid: the source, the ideal target, then each method's edit;
     * each row is headed by the change.
     */
    public static BufferedImage figure(List<Case> cases, Map<Method, Edits> edits, int rows, String title) {
        List<Method> shown = List.of(Method.DDIM_P2P, Method.NULL_TEXT_P2P, Method.RESAMPLE, Method.INPAINT);
        List<BufferedImage> cells = new ArrayList<>();
        List<String> headers = new ArrayList<>(List.of("source", "ideal target"));
        shown.forEach(m -> headers.add(m.shortLabel()));
        List<String> rowHeaders = new ArrayList<>();
        for (int i = 0; i < Math.min(rows, cases.size()); i++) {
            Case c = cases.get(i);
            cells.add(ImageTensors.toImage(c.source()));
            cells.add(ImageTensors.toImage(c.ideal()));
            for (Method m : shown) {
                cells.add(ImageTensors.toImage(edits.get(m).images().get(i)));
            }
            rowHeaders.add(c.pair().change());
        }
        return new ImageGrid(cells, headers.size()).scale(4).columnHeaders(headers).rowHeaders(rowHeaders)
                .title(title).render();
    }

    /** How many times {@link #run} calls its {@code afterBatch} for {@code cases} scenes. */
    public static long units(int cases) {
        return 5L * ((cases + BATCH - 1) / BATCH);
    }

    /** Prompt-to-Prompt from each inversion to its target; the edited images are appended to {@code out}. */
    private static void edit(PromptToPrompt p2p, List<Inversion> inversions, List<String> targets, SamplerSettings settings, List<INDArray> out) {
        List<PromptToPrompt.Request> requests = new ArrayList<>();
        for (int i = 0; i < inversions.size(); i++) {
            requests.add(PromptToPrompt.Request.ofImage(inversions.get(i), targets.get(i), EditBenchmark.P2P));
        }
        p2p.edit(requests, settings, null, StepCallback.NONE).forEach(r -> out.add(r.edited()));
    }

    private static List<Inversion> withCaptions(List<Inversion> inversions, List<String> captions) {
        List<Inversion> out = new ArrayList<>();
        for (int i = 0; i < inversions.size(); i++) {
            out.add(inversions.get(i).withCaption(captions.get(i)));
        }
        return out;
    }

    private static void timed(Map<Method, Double> seconds, Method method, double already, Runnable work) {
        long start = System.nanoTime();
        work.run();
        seconds.merge(method, already + seconds(start), Double::sum);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static void unstack(INDArray batch, List<INDArray> out) {
        for (int i = 0; i < batch.size(0); i++) {
            out.add(batch.get(NDArrayIndex.point(i)).dup());
        }
    }

    private static INDArray image(BufferedImage picture) {
        return ImageTensors.toTensor(List.of(picture)).get(NDArrayIndex.point(0)).dup();                // [3, H, W]
    }

    private static List<INDArray> masks(BufferedImage image, Scene scene) {
        return ObjectMasks.fromColours(image, scene.objects().stream().map(ObjectLabel::colour).toList());
    }

    /** Every method's scores, case by case: the classifier reads each method's edits in batches. */
    public static Map<Method, List<Score>> score(List<Case> cases, Map<Method, Edits> edits, AttributeClassifier classifier) {
        Map<Method, List<Score>> out = new EnumMap<>(Method.class);
        edits.forEach((method, e) -> {
            List<Score> scores = new ArrayList<>();
            for (int from = 0; from < cases.size(); from += BATCH) {
                int to = Math.min(from + BATCH, cases.size());
                List<List<ObjectLabel>> readings = classifier.predict(Nd4j.stack(0, e.images().subList(from, to).toArray(INDArray[]::new)));
                for (int i = from; i < to; i++) {
                    scores.add(score(cases.get(i), e.images().get(i), readings.get(i - from)));
                }
            }
            out.put(method, scores);
        });
        return out;
    }

    /** The table's measured columns, after method, kind and n. */
    private static final List<String> COLUMNS = List.of("psnr", "psnr_low", "psnr_high", "ssim", "psnr_outside", "iou",
            "success", "success_low", "success_high", "seconds_per_edit");

    /**
     * One row per method over all cases ("all"), then per method and kind: means with 95% intervals (PSNR), Wilson's for
     * the success share, and the method's seconds per edit.
     */
    public static Table table(List<Case> cases, Map<Method, List<Score>> scores, Map<Method, Edits> edits) {
        Table t = Table.create("real-image edits", StringColumn.create("method"), StringColumn.create("kind"), IntColumn.create("n"));
        COLUMNS.forEach(c -> t.addColumns(DoubleColumn.create(c)));
        for (Method m : scores.keySet()) {
            double perEdit = edits.get(m).seconds() / cases.size();
            append(t, m, "all", scores.get(m), perEdit);
            for (EditKind kind : KINDS) {
                List<Score> ofKind = new ArrayList<>();
                for (int i = 0; i < cases.size(); i++) {
                    if (cases.get(i).pair().kind() == kind) {
                        ofKind.add(scores.get(m).get(i));
                    }
                }
                if (!ofKind.isEmpty()) {
                    append(t, m, kind.word(), ofKind, perEdit);
                }
            }
        }
        return t;
    }

    private static void append(Table t, Method m, String kind, List<Score> s, double perEdit) {
        MeanInterval psnr = MeanInterval.of(s.stream().map(Score::psnr).toList());
        Proportion success = new Proportion((int) s.stream().filter(Score::success).count(), s.size());
        double[] wilson = success.interval95();
        t.stringColumn("method").append(m.label());
        t.stringColumn("kind").append(kind);
        t.intColumn("n").append(s.size());
        double[] values = {psnr.mean(), psnr.low(), psnr.high(), mean(s, Score::ssim),
            outside(s),
            mean(s, Score::iou), success.value(), wilson[0], wilson[1], perEdit};
        for (int c = 0; c < values.length; c++) {
            t.doubleColumn(COLUMNS.get(c)).append(values[c]);
        }
    }

    /**
     * PSNR outside the edit region of the cases' mean squared error there (a case left exactly as it was has MSE 0 and an
     * infinite PSNR of its own, so PSNRs are not averaged); infinite only when every case is exact outside.
     */
    private static double outside(List<Score> s) {
        double mse = s.stream().mapToDouble(x -> 4 / Math.pow(10, x.psnrOutside() / 10)).average().orElse(Double.NaN);
        return 10 * Math.log10(4 / mse);
    }

    private static double mean(List<Score> s, java.util.function.ToDoubleFunction<Score> f) {
        return s.stream().mapToDouble(f).average().orElse(Double.NaN);
    }
}
