package org.ldmlab.attention;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.ldmlab.Choice;
import org.ldmlab.InvalidInputException;
import org.ldmlab.attention.AttentionSite.Place;
import org.ldmlab.attention.AttentionStore.LayerRecord;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * How the recorded cross-attention of one prompt becomes one map per token at image resolution. Every choice is
 * explicit, because the papers each make one and neither tests it (DESIGN.md section 5):
 * <ol>
 *   <li>layers: the places (down, mid, up) and levels (query resolutions, by height: 8, 4) to use;</li>
 *   <li>steps: the windows of the run whose steps lie in [from, to] (0 = first step, 1 = last);</li>
 *   <li>mean over heads (as recorded) and over those steps, per layer;</li>
 *   <li>each layer's maps upsampled to size x size ({@link Upsampling}), then averaged over the layers
 *       (DAAM, Tang et al. 2023: upsample, then average; Prompt-to-Prompt averages the 16x16 layers as they are);</li>
 *   <li>normalised ({@link Normalisation}).</li>
 * </ol>
 * Every token gets a map, {@code <bos>}, {@code <eos>} and {@code <pad>} included: users ask where the mass goes.
 */
public record MapAggregation(Set<Place> places, Set<Integer> levels, double from, double to, Upsampling upsampling,
        Normalisation normalisation) {

    /** How maps are scaled after averaging. */
    public enum Normalisation implements Choice {
        /** Each token's map divided by its own maximum, so its peak is 1 (Prompt-to-Prompt's display). */
        MAX,
        /**
         * Each token's map shifted by its minimum and divided by its range, so it spans [0, 1] (how DAAM scales a heat
         * map before thresholding it): a map that is mostly a flat floor with a bump keeps only the bump.
         */
        MINMAX,
        /**
         * At each pixel, every token's value divided by the sum over the caption's word tokens (DAAM's normalisation,
         * which leaves out the special tokens), then each map by its maximum.
         */
        WORDS;

        public static Normalisation parse(String word) {
            return Choice.parse(Normalisation.class, word, "normalisation");
        }
    }

    public MapAggregation {
        places = Set.copyOf(places);
        levels = Set.copyOf(levels);
        if (places.isEmpty() || levels.isEmpty()) {
            throw new InvalidInputException("an aggregation needs at least one place and one level");
        }
        if (!(from >= 0 && from <= to && to <= 1)) {
            throw new InvalidInputException("the step window must satisfy 0 <= from <= to <= 1, got from " + from + " to " + to);
        }
    }

    /**
     * Where the papers start: every cross-attention layer at every level and step, bicubic, each map divided by its
     * maximum (DAAM's layers and upsampling, Prompt-to-Prompt's display scaling).
     */
    public static MapAggregation everyLayer() {
        return new MapAggregation(EnumSet.allOf(Place.class), Set.of(8, 4), 0, 1, Upsampling.BICUBIC, Normalisation.MAX);
    }

    /**
     * The toolkit's default, the aggregation that localised best in the ablation of {@code ldmlab attention-score
     * --ablate} on the shipped model (README, "Which aggregation"): the up path's layers (8x8 and 4x4), every step,
     * bicubic, min-max scaled.
     */
    public static MapAggregation defaults() {
        return everyLayer().withPlaces(Set.of(Place.UP)).withNormalisation(Normalisation.MINMAX);
    }

    public MapAggregation withLevels(Set<Integer> l) {
        return new MapAggregation(places, l, from, to, upsampling, normalisation);
    }

    public MapAggregation withPlaces(Set<Place> p) {
        return new MapAggregation(p, levels, from, to, upsampling, normalisation);
    }

    public MapAggregation withSteps(double f, double t) {
        return new MapAggregation(places, levels, f, t, upsampling, normalisation);
    }

    public MapAggregation withUpsampling(Upsampling u) {
        return new MapAggregation(places, levels, from, to, u, normalisation);
    }

    public MapAggregation withNormalisation(Normalisation n) {
        return new MapAggregation(places, levels, from, to, upsampling, n);
    }

    /** Whether this aggregation uses {@code layer}. */
    public boolean uses(LayerRecord layer) {
        return layer.cross() && places.contains(layer.place()) && levels.contains(layer.height());
    }

    /**
     * One map per token of prompt {@code prompt}, [L, size, size], from every cross-attention layer of {@code store}
     * that this aggregation uses.
     *
     * @param words how many word tokens the caption has (tokens 1..words; 0 is {@code <bos>})
     */
    public INDArray maps(AttentionStore store, int prompt, int words, int size) {
        return maps(store, store.layers(), prompt, words, size);
    }

    /** As above, from the given layers of {@code store} only (e.g. one layer, for a per-layer figure). */
    public INDArray maps(AttentionStore store, List<LayerRecord> layers, int prompt, int words, int size) {
        List<LayerRecord> used = layers.stream().filter(this::uses).toList();
        if (used.isEmpty()) {
            Set<String> recorded = layers.stream().filter(LayerRecord::cross)
                    .map(l -> l.place().word() + " " + l.level()).collect(Collectors.toCollection(TreeSet::new));
            throw new InvalidInputException("no recorded cross-attention layer is at places " + words(places) + " and levels "
                    + levels + "; recorded: " + recorded);
        }
        int[] window = windows(store.windows());
        List<INDArray> upsampled = new ArrayList<>();
        for (LayerRecord layer : used) {
            INDArray mean = layer.mean(window[0], window[1]); // [P, Nq, Nk]
            if (mean == null) {
                throw new IllegalStateException(layer.layer() + " recorded no step in windows " + window[0] + ".." + (window[1] - 1));
            }
            INDArray perToken = mean.get(NDArrayIndex.point(prompt), NDArrayIndex.all(), NDArrayIndex.all())
                    .transpose().dup().reshape(mean.size(2), layer.height(), layer.width()); // [L, h, w]
            upsampled.add(upsampling.apply(perToken, size));                                  // [L, S, S]
        }
        INDArray averaged = Nd4j.stack(0, upsampled.toArray(INDArray[]::new)).mean(0);         // [L, S, S]
        return normalise(averaged, words);
    }

    /** The windows [first, last + 1) of {@code count} whose steps lie in [from, to]; a clear error when there is none. */
    public int[] windows(int count) {
        double slack = 1e-9;
        int first = -1;
        int last = -1;
        for (int w = 0; w < count; w++) {
            if ((double) w / count >= from - slack && (double) (w + 1) / count <= to + slack) {
                first = first < 0 ? w : first;
                last = w;
            }
        }
        if (first < 0) {
            throw new InvalidInputException("the steps from " + from + " to " + to + " hold no whole window of the " + count
                    + " recorded (each " + String.format("%.3f", 1.0 / count) + " of the run): widen them");
        }
        return new int[] {first, last + 1};
    }

    private INDArray normalise(INDArray maps, int words) { // [L, S, S]
        INDArray m = maps;
        if (normalisation == Normalisation.WORDS && words > 0) {
            INDArray perPixel = maps.get(NDArrayIndex.interval(1, 1 + words), NDArrayIndex.all(), NDArrayIndex.all()).sum(true, 0); // [1, S, S]
            m = maps.div(perPixel.add(1e-12));
        }
        if (normalisation == Normalisation.MINMAX) {
            m = m.sub(m.min(true, 1, 2));                                                     // [L, S, S] - [L, 1, 1]
        }
        INDArray max = m.max(true, 1, 2);                                                     // [L, 1, 1]
        return m.div(max.add(1e-12));
    }

    private static String words(Set<Place> places) {
        return Arrays.toString(places.stream().map(Place::word).sorted().toArray());
    }

    /**
     * What this aggregation changes from {@code reference}, e.g. "up + minmax"; "reference" when nothing. For plots and
     * tables of ablations, where the whole description is too long for a label.
     */
    public String changesFrom(MapAggregation reference) {
        List<String> changes = new ArrayList<>();
        if (!places.equals(reference.places)) {
            changes.add(places.stream().sorted().map(Place::word).collect(Collectors.joining("+")));
        }
        if (!levels.equals(reference.levels)) {
            changes.add(levels.stream().sorted((a, b) -> b - a).map(l -> l + "x" + l).collect(Collectors.joining("+")));
        }
        if (from != reference.from || to != reference.to) {
            changes.add("steps " + trim(from) + "-" + trim(to));
        }
        if (upsampling != reference.upsampling) {
            changes.add(upsampling.word());
        }
        if (normalisation != reference.normalisation) {
            changes.add(normalisation.word());
        }
        return changes.isEmpty() ? "reference" : String.join(" + ", changes);
    }

    /** A short description, e.g. "down+mid+up, 8x8+4x4, steps 0-1, bicubic, max". */
    public String describe() {
        return places.stream().sorted().map(Place::word).collect(Collectors.joining("+")) + ", "
                + levels.stream().sorted((a, b) -> b - a).map(l -> l + "x" + l).collect(Collectors.joining("+"))
                + ", steps " + trim(from) + "-" + trim(to) + ", " + upsampling.word() + ", " + normalisation.word();
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Integer.toString((int) v) : Double.toString(v);
    }
}
