package org.ldmlab.ldm;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.ldmlab.InvalidInputException;
import org.ldmlab.attention.AttentionSite.Place;
import org.ldmlab.attention.AttentionStore;
import org.ldmlab.attention.Localisation;
import org.ldmlab.attention.MapAggregation;
import org.ldmlab.attention.Upsampling;
import org.ldmlab.data.ImageTensors;
import org.ldmlab.data.ObjectLabel;
import org.ldmlab.data.Scene;
import org.ldmlab.data.SceneSampler;
import org.ldmlab.data.Split;
import org.ldmlab.data.WordRole;
import org.ldmlab.metrics.MeanInterval;
import org.ldmlab.metrics.ObjectMasks;
import org.ldmlab.sampling.SamplerSettings;
import org.ldmlab.sampling.StepCallback;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Attention localisation against exact ground truth: sample test-split captions (single objects, and pairs whose
 * objects differ in colour), record their cross-attention, find each object's pixels in the generated image from
 * the colour its caption names ({@link ObjectMasks}), and score every content word's map against the object it
 * describes ({@link Localisation}): per word class, mean IoU at a threshold and mean mass inside the mask, with
 * 95% intervals. Every aggregation and threshold asked for is scored on the same images.
 */
public final class LocalisationBenchmark {
    /** Step windows recorded per run: aggregations may choose steps in tenths of the run. */
    public static final int WINDOWS = 10;

    private LocalisationBenchmark() {}

    /** The scores of one aggregation at one threshold, per word class. */
    public record Scores(MapAggregation aggregation, double tau, Map<WordRole.Kind, MeanInterval> iou,
            Map<WordRole.Kind, MeanInterval> mass, Map<WordRole.Kind, MeanInterval> chance) {}

    /** n scenes of the test split, drawn from {@code seed}; pairs of one colour are skipped (their masks would merge). */
    public static List<Scene> scenes(int n, long seed) {
        if (n < 1) {
            throw new InvalidInputException("the localisation benchmark needs at least one caption; got " + n);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Scene> scenes = new ArrayList<>();
        while (scenes.size() < n) {
            Scene s = SceneSampler.draw(Split.TEST, random);
            if (s.objects().stream().map(ObjectLabel::colour).distinct().count() == s.objects().size()) {
                scenes.add(s);
            }
        }
        return scenes;
    }

    /**
     * Samples every scene's caption once (batches of {@link TextToImage#BATCH}, batch k with seed + k * BATCH, as
     * {@link TextToImage#sampleAll} does, on one thread: the store is attached to the model) and scores it under every
     * aggregation and threshold.
     *
     * @param afterBatch called after each batch (a progress bar's step)
     */
    public static List<Scores> run(TextToImage t2i, List<Scene> scenes, SamplerSettings settings, long seed,
            List<MapAggregation> aggregations, double[] taus, Runnable afterBatch) {
        Map<String, Map<WordRole.Kind, List<Double>>> ious = new LinkedHashMap<>();
        Map<String, Map<WordRole.Kind, List<Double>>> masses = new LinkedHashMap<>();
        Map<String, Map<WordRole.Kind, List<Double>>> chances = new LinkedHashMap<>();
        for (int from = 0; from < scenes.size(); from += TextToImage.BATCH) {
            List<Scene> batch = scenes.subList(from, Math.min(from + TextToImage.BATCH, scenes.size()));
            List<String> prompts = batch.stream().map(Scene::caption).toList();
            AttentionMapping.Run run = AttentionMapping.sample(t2i, prompts, settings, seed + from,
                    AttentionStore.crossAttention(WINDOWS), StepCallback.NONE);
            for (int p = 0; p < batch.size(); p++) {
                Scene scene = batch.get(p);
                BufferedImage image = ImageTensors.toImage(run.images().get(NDArrayIndex.point(p)));
                List<INDArray> masks = ObjectMasks.fromColours(image, scene.objects().stream().map(ObjectLabel::colour).toList());
                List<WordRole> roles = WordRole.of(scene);
                for (MapAggregation a : aggregations) {
                    var maps = run.maps(p, a);
                    for (double tau : taus) {
                        String key = key(a, tau);
                        for (Localisation.WordScore s : Localisation.score(maps, roles, masks, tau)) {
                            add(ious, key, s.kind(), s.iou());
                            add(masses, key, s.kind(), s.massShare());
                            add(chances, key, s.kind(), s.maskShare());
                        }
                    }
                }
            }
            afterBatch.run();
        }
        List<Scores> out = new ArrayList<>();
        for (MapAggregation a : aggregations) {
            for (double tau : taus) {
                String key = key(a, tau);
                out.add(new Scores(a, tau, summary(ious.get(key)), summary(masses.get(key)), summary(chances.get(key))));
            }
        }
        return out;
    }

    /**
     * The choices an ablation tries, one at a time from {@link MapAggregation#everyLayer()} (DAAM's and
     * Prompt-to-Prompt's choices among them): places, levels, step windows, upsampling and normalisation; then min-max
     * normalisation with the places, levels and steps that localise best alone ({@link MapAggregation#defaults()} is
     * one of these). Thresholds are swept separately.
     */
    public static List<MapAggregation> ablations() {
        MapAggregation d = MapAggregation.everyLayer();
        List<MapAggregation> list = new ArrayList<>(List.of(d,
                d.withPlaces(Set.of(Place.DOWN)), d.withPlaces(Set.of(Place.MID)), d.withPlaces(Set.of(Place.UP)),
                d.withLevels(Set.of(8)), d.withLevels(Set.of(4)),
                d.withSteps(0, 0.3), d.withSteps(0.3, 0.7), d.withSteps(0.7, 1),
                d.withUpsampling(Upsampling.NEAREST), d.withUpsampling(Upsampling.BILINEAR),
                d.withNormalisation(MapAggregation.Normalisation.WORDS), d.withNormalisation(MapAggregation.Normalisation.MINMAX)));
        MapAggregation minmax = d.withNormalisation(MapAggregation.Normalisation.MINMAX); // and the best single changes together
        list.addAll(List.of(minmax.withPlaces(Set.of(Place.UP)), minmax.withLevels(Set.of(4)),
                minmax.withPlaces(Set.of(Place.UP)).withLevels(Set.of(4)), minmax.withPlaces(Set.of(Place.UP)).withSteps(0.3, 1)));
        return list;
    }

    /** The thresholds an ablation tries (DAAM's 0.4 among them). */
    public static final double[] ABLATION_TAUS = {0.2, 0.3, 0.4, 0.5, 0.6};

    /**
     * One row per (aggregation, threshold, word class), the aggregation also named by what it changes from
     * {@link MapAggregation#everyLayer()}: n, mean IoU and mean mass share with their 95% intervals, and
     * the mean share of the image the masks cover (the mass share of a flat map: chance).
     */
    public static Table table(List<Scores> scores) {
        Table t = Table.create("attention localisation");
        StringColumn aggregation = StringColumn.create("aggregation");
        StringColumn change = StringColumn.create("change");
        DoubleColumn tau = DoubleColumn.create("tau");
        StringColumn kind = StringColumn.create("word_class");
        IntColumn n = IntColumn.create("n");
        DoubleColumn[] values = {DoubleColumn.create("miou"), DoubleColumn.create("miou_low"), DoubleColumn.create("miou_high"),
            DoubleColumn.create("mass"), DoubleColumn.create("mass_low"), DoubleColumn.create("mass_high"),
            DoubleColumn.create("mask_share")};
        for (Scores s : scores) {
            for (WordRole.Kind k : WordRole.Kind.values()) {
                MeanInterval iou = s.iou().get(k);
                MeanInterval mass = s.mass().get(k);
                if (iou == null) {
                    continue;
                }
                aggregation.append(s.aggregation().describe());
                change.append(s.aggregation().changesFrom(MapAggregation.everyLayer()));
                tau.append(s.tau());
                kind.append(k.word());
                n.append(iou.n());
                double[] row = {iou.mean(), iou.low(), iou.high(), mass.mean(), mass.low(), mass.high(), s.chance().get(k).mean()};
                for (int i = 0; i < row.length; i++) {
                    values[i].append(row[i]);
                }
            }
        }
        t.addColumns(aggregation, change, tau, kind, n);
        t.addColumns(values);
        return t;
    }

    private static void add(Map<String, Map<WordRole.Kind, List<Double>>> into, String key, WordRole.Kind kind, double value) {
        into.computeIfAbsent(key, k -> new EnumMap<>(WordRole.Kind.class)).computeIfAbsent(kind, k -> new ArrayList<>()).add(value);
    }

    private static Map<WordRole.Kind, MeanInterval> summary(Map<WordRole.Kind, List<Double>> values) {
        Map<WordRole.Kind, MeanInterval> out = new EnumMap<>(WordRole.Kind.class);
        (values == null ? Map.<WordRole.Kind, List<Double>>of() : values).forEach((k, v) -> out.put(k, MeanInterval.of(v).within(0, 1))); // IoU and mass share lie in [0, 1]
        return out;
    }

    private static String key(MapAggregation a, double tau) {
        return a + "@" + tau;
    }
}
