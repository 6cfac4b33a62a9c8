package org.ldmlab.attention;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ldmlab.attention.AttentionSite.Place;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A controller that records attention maps and changes nothing: for every layer, the conditional rows'
 * probabilities averaged over heads and summed over the steps of each step window, as sampling goes
 * (Prompt-to-Prompt's AttentionStore, Hertz et al. 2022; DAAM's per-layer sums, Tang et al. 2023).
 * Cross-attention always; self-attention on request.
 *
 * <p>The run is split into {@code windows} equal windows of steps (step i of S falls in window floor(i W / S)),
 * so memory is bounded whatever the number of steps: per recorded layer, W x prompts x Nq x Nk floats. For the
 * toolkit's UNet (cross-attention at 8x8 twice and 4x4 three times, 16 tokens) that is W x P x 2,816 floats,
 * 11 KB per window and prompt; self-attention adds W x P x 9,472.
 */
public final class AttentionStore implements AttentionController {
    /** One layer's record: where it is, and per window the summed head-mean maps [P, Nq, Nk] and their count. */
    public static final class LayerRecord {
        private final String layer;
        private final Place place;
        private final int block;
        private final int height;
        private final int width;
        private final boolean cross;
        private final INDArray[] sums;
        private final int[] counts;

        private LayerRecord(AttentionSite site, int windows) {
            this.layer = site.layer();
            this.place = site.place();
            this.block = site.block();
            this.height = site.height();
            this.width = site.width();
            this.cross = site.cross();
            this.sums = new INDArray[windows];
            this.counts = new int[windows];
        }

        public String layer() {
            return layer;
        }

        public Place place() {
            return place;
        }

        public int block() {
            return block;
        }

        public int height() {
            return height;
        }

        public int width() {
            return width;
        }

        public boolean cross() {
            return cross;
        }

        /** The level as text, e.g. "8x8". */
        public String level() {
            return height + "x" + width;
        }

        /** Whether window w saw a step. */
        public boolean recorded(int window) {
            return counts[window] > 0;
        }

        /** The mean over heads and over the recorded steps of windows [from, to), [P, Nq, Nk]; null when none. */
        public INDArray mean(int from, int to) {
            INDArray sum = null;
            int n = 0;
            for (int w = from; w < to; w++) {
                if (counts[w] > 0) {
                    sum = sum == null ? sums[w].dup() : sum.addi(sums[w]);
                    n += counts[w];
                }
            }
            return sum == null ? null : sum.divi(n);
        }

        private void add(int window, INDArray headMean) {
            sums[window] = sums[window] == null ? headMean : sums[window].addi(headMean);
            counts[window]++;
        }
    }

    private final int windows;
    private final boolean self;
    private final Map<String, LayerRecord> layers = new LinkedHashMap<>();
    private int prompts = -1;

    private AttentionStore(int windows, boolean self) {
        if (windows < 1) {
            throw new IllegalArgumentException("an attention store needs at least one step window, got " + windows);
        }
        this.windows = windows;
        this.self = self;
    }

    /** Records cross-attention, with the run split into {@code windows} step windows (the step count: every step). */
    public static AttentionStore crossAttention(int windows) {
        return new AttentionStore(windows, false);
    }

    /** Records cross- and self-attention. */
    public static AttentionStore crossAndSelfAttention(int windows) {
        return new AttentionStore(windows, true);
    }

    @Override
    public INDArray onAttention(AttentionSite site, INDArray probs) {
        if (!site.cross() && !self) {
            return probs;
        }
        if (site.step().index() < 0) {
            throw new IllegalStateException("an AttentionStore records sampling steps; this call came from outside a "
                    + "sampling run (" + site.layer() + ")");
        }
        if (prompts >= 0 && prompts != site.prompts()) {
            throw new IllegalStateException("this store recorded " + prompts + " prompts, now it sees " + site.prompts()
                    + ": use one store per sampling run");
        }
        prompts = site.prompts();
        int first = site.unconditionalRows();
        INDArray conditional = probs.get(NDArrayIndex.interval(first, first + site.prompts()), NDArrayIndex.all(),
                NDArrayIndex.all(), NDArrayIndex.all());                                // [P, heads, Nq, Nk]
        INDArray headMean = conditional.mean(1);                                        // [P, Nq, Nk]
        int window = (int) ((long) site.step().index() * windows / site.step().count());
        layers.computeIfAbsent(site.layer(), l -> new LayerRecord(site, windows)).add(window, headMean);
        return probs;
    }

    public int windows() {
        return windows;
    }

    /** How many prompts the run had (-1 before the first call). */
    public int prompts() {
        return prompts;
    }

    /** The recorded layers in the order the backbone first called them. */
    public List<LayerRecord> layers() {
        return Collections.unmodifiableList(new ArrayList<>(layers.values()));
    }
}
