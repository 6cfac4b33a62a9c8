package org.ldmlab.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.ldmlab.InvalidInputException;
import org.ldmlab.data.Attributes.Position;
import org.ldmlab.data.CaptionGrammar;
import org.ldmlab.data.ObjectLabel;
import org.ldmlab.data.Scene;
import org.ldmlab.nn.Conv2d;
import org.ldmlab.nn.GroupNorm;
import org.ldmlab.nn.Init;
import org.ldmlab.nn.Layout;
import org.ldmlab.nn.Linear;
import org.ldmlab.nn.Module;
import org.ldmlab.nn.Ops;
import org.ldmlab.nn.Var;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A small CNN, trained on rendered shapes, that reads a 32x32 image the way an evaluation needs it: how many
 * objects it shows (1 or 2), and the shape, colour, size and position of each. It scores generated images
 * (does the picture show what the caption asked for?) and its penultimate layer gives the features for FID.
 *
 * <p>Slots. "A above B" and "B below A" are the same picture, so the objects cannot be read out in caption order;
 * they are read out in a canonical order fixed by the image alone, see {@link #canonicalSlots}.
 *
 * <p>Architecture, channels-last: four 3x3 convolutions, each followed by GroupNorm and SiLU, take
 * [B, 32, 32, 3] to [B, 32, 32, 16], [B, 16, 16, 32], [B, 8, 8, 64] and [B, 4, 4, 64] (the last three with
 * stride 2); the flattened [B, 1024] goes through Linear + SiLU to the features [B, 128]. From them a count head
 * (1 or 2 objects) and, per slot, the {@link AttributeHeads}. The loss is the sum of all their cross-entropies.
 */
public final class AttributeClassifier extends Module {
    public static final int FEATURES = 128;
    /**
     * Images per forward pass of {@link #read}. An evaluation reads thousands of images, and one pass over all of
     * them would hold every layer's activations at once (the first alone is 64 KB per image).
     */
    static final int CHUNK = 256;
    private static final int GROUPS = 8;

    private final List<Conv2d> convs = new ArrayList<>();
    private final List<GroupNorm> norms = new ArrayList<>();
    private final Linear hidden;
    private final Linear count;
    private final AttributeHeads slot0;
    private final AttributeHeads slot1;

    public AttributeClassifier(Init init) {
        long[] channels = {3, 16, 32, 64, 64};
        for (int i = 0; i < 4; i++) {
            int stride = i == 0 ? 1 : 2;
            convs.add(child("conv" + i, new Conv2d(channels[i], channels[i + 1], 3, stride, 1, init)));
            norms.add(child("norm" + i, new GroupNorm(GROUPS, channels[i + 1], init)));
        }
        hidden = child("hidden", new Linear(4 * 4 * 64, FEATURES, true, init));
        count = child("count", new Linear(FEATURES, 2, true, init));
        slot0 = child("slot0", new AttributeHeads(FEATURES, init));
        slot1 = child("slot1", new AttributeHeads(FEATURES, init));
    }

    /**
     * The scene's objects in slot order. A single object is slot 0. In a pair the relation puts one object at
     * the top and the other at the bottom, or one on the left and the other on the right; slot 0 is the one at
     * the top or on the left. That is: slot 0 is the object whose box centre is top-most, or left-most when the
     * two are level, whichever order the caption named them in.
     */
    public static List<ObjectLabel> canonicalSlots(Scene scene) {
        return scene.objects().stream().sorted(Comparator.comparingInt(AttributeClassifier::slotRank)).toList();
    }

    private static int slotRank(ObjectLabel object) {
        return object.position() == Position.TOP || object.position() == Position.LEFT ? 0 : 1;
    }

    /** The sum of the cross-entropies of all heads; images [B, 3, 32, 32] in [-1, 1], one scene per image. */
    public Var loss(INDArray images, List<Scene> scenes) {
        Var h = features(Var.constant(Layout.channelsLast(images)));
        List<ObjectLabel> first = new ArrayList<>();
        List<ObjectLabel> second = new ArrayList<>();
        float[][] counts = new float[scenes.size()][2]; // one-hot: column 0 = one object, 1 = two
        for (int i = 0; i < scenes.size(); i++) {
            List<ObjectLabel> slots = canonicalSlots(scenes.get(i));
            first.add(slots.get(0));
            second.add(slots.size() > 1 ? slots.get(1) : null);
            counts[i][slots.size() - 1] = 1;
        }
        Var total = Ops.softmaxCrossEntropy(count.forward(h), Nd4j.create(counts));
        return Ops.add(total, Ops.add(slot0.loss(h, first), slot1.loss(h, second)));
    }

    /**
     * What the classifier reads in a batch of images: the penultimate features [B, 128] (what FID compares), the
     * objects in slot order (one or two per image), and the first slot's class probabilities, one [B, K] per head
     * (shape, colour, size, position).
     */
    public record Reading(INDArray features, List<List<ObjectLabel>> objects, List<INDArray> firstObject) {}

    /** Reads images [B, 3, 32, 32] in [-1, 1], {@link #CHUNK} at a time. */
    public Reading read(INDArray images) {
        long n = images.size(0);
        if (n <= CHUNK) {
            return readChunk(images);
        }
        List<Reading> chunks = new ArrayList<>();
        for (long from = 0; from < n; from += CHUNK) {
            chunks.add(readChunk(images.get(NDArrayIndex.interval(from, Math.min(n, from + CHUNK)))));
        }
        List<INDArray> firstObject = new ArrayList<>();
        for (int head = 0; head < chunks.get(0).firstObject().size(); head++) {
            int h = head;
            firstObject.add(Nd4j.concat(0, chunks.stream().map(c -> c.firstObject().get(h)).toArray(INDArray[]::new)));
        }
        return new Reading(Nd4j.concat(0, chunks.stream().map(Reading::features).toArray(INDArray[]::new)),
                chunks.stream().flatMap(c -> c.objects().stream()).toList(), firstObject);
    }

    private Reading readChunk(INDArray images) {
        try (var off = Var.noGrad()) {
            Var h = features(Var.constant(Layout.channelsLast(images))); // [B, 128]
            int[] objects = AttributeHeads.argMax(count.forward(h)); // 0: one object, 1: two
            List<ObjectLabel> first = slot0.read(h);
            List<ObjectLabel> second = slot1.read(h);
            List<List<ObjectLabel>> predictions = new ArrayList<>();
            for (int i = 0; i < objects.length; i++) {
                predictions.add(objects[i] == 0 ? List.of(first.get(i)) : List.of(first.get(i), second.get(i)));
            }
            return new Reading(h.value(), predictions, slot0.probabilities(h));
        }
    }

    /**
     * Whether the classifier reads in {@code image} [1, 3, 32, 32] what {@code caption} says: null when it does, else what
     * it reads, e.g. "a small blue square at the top" (a caption the grammar cannot parse is compared as nothing).
     */
    public String disagreement(INDArray image, String caption) {
        List<ObjectLabel> read = predict(image).get(0);
        List<ObjectLabel> said;
        try {
            said = canonicalSlots(CaptionGrammar.parse(caption));
        } catch (InvalidInputException e) {
            said = List.of();
        }
        return read.equals(said) ? null : read.stream()
                .map(o -> "a " + o.size().words() + " " + o.colour().words() + " " + o.shape().words() + " " + o.position().words())
                .collect(Collectors.joining(" and "));
    }

    /** For each image [B, 3, 32, 32] in [-1, 1], the objects it shows (one or two) in slot order. */
    public List<List<ObjectLabel>> predict(INDArray images) {
        return read(images).objects();
    }

    /** The penultimate activations [B, 128] of images [B, 3, 32, 32] in [-1, 1]: the features FID compares. */
    public INDArray features(INDArray images) {
        return read(images).features();
    }

    /** [B, 32, 32, 3] -> [B, 128] */
    private Var features(Var x) {
        for (int i = 0; i < convs.size(); i++) {
            x = Ops.silu(norms.get(i).forward(convs.get(i).forward(x)));
        }
        long batch = x.shape()[0];
        Var flat = Ops.reshape(x, batch, x.value().length() / batch); // [B, 4*4*64]
        return Ops.silu(hidden.forward(flat));
    }
}
