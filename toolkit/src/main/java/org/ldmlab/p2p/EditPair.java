package org.ldmlab.p2p;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ldmlab.InvalidInputException;
import org.ldmlab.data.ObjectLabel;
import org.ldmlab.data.Scene;
import org.ldmlab.data.SceneSampler;
import org.ldmlab.data.Split;

/**
 * A caption pair for a word-swap edit: a test-split scene and the same scene with one attribute of one object changed
 * ({@link EditKind}). Its captions have the same words but one (or, for a position, its phrase "on the left" ->
 * "at the top"), so {@link AttentionReplace} maps them token by token.
 *
 * @param object the edited object's index in both scenes (caption order)
 */
public record EditPair(EditKind kind, Scene source, Scene target, int object) {
    /** The most pairs a benchmark asks for per kind. */
    public static final int MAX_PER_KIND = 10_000;

    public String sourceCaption() {
        return source.caption();
    }

    public String targetCaption() {
        return target.caption();
    }

    /** The words that change, e.g. "red -> blue" or "on left -> at top". */
    public String change() {
        String[] from = sourceCaption().split(" ");
        String[] to = targetCaption().split(" ");
        List<String> removed = new ArrayList<>();
        List<String> added = new ArrayList<>();
        for (int i = 0; i < from.length; i++) {
            if (!from[i].equals(to[i])) {
                removed.add(from[i]);
                added.add(to[i]);
            }
        }
        return String.join(" ", removed) + " -> " + String.join(" ", added);
    }

    /** The pair as a request of one batch of edits, sampled from {@code seed}. */
    public PromptToPrompt.Request request(EditSettings edit, long seed) {
        return new PromptToPrompt.Request(sourceCaption(), targetCaption(), edit, seed);
    }

    /**
     * {@code perKind} pairs of every kind, kind by kind in {@link EditKind} order: test-split scenes with the kind's
     * number of objects (pairs of two colours only, so objects are found by colour), each edited by its kind. Each
     * kind draws from its own stream of {@code seed}, so the pairs of one kind do not depend on the others.
     */
    public static List<EditPair> draw(int perKind, long seed) {
        return draw(perKind, seed, List.of(EditKind.values()));
    }

    /** As {@link #draw(int, long)}, for the given kinds only (each kind's pairs are the same as there). */
    public static List<EditPair> draw(int perKind, long seed, List<EditKind> kinds) {
        if (perKind < 1 || perKind > MAX_PER_KIND) {
            throw new InvalidInputException("--pairs is the number of caption pairs per edit kind, 1 to " + MAX_PER_KIND + "; got " + perKind);
        }
        List<EditPair> pairs = new ArrayList<>();
        for (EditKind kind : kinds) {
            SplittableRandom random = new SplittableRandom(seed * EditKind.values().length + kind.ordinal());
            for (int drawn = 0; drawn < perKind; ) {
                Scene scene = SceneSampler.draw(Split.TEST, random);
                if (scene.objects().size() == kind.objects()
                        && scene.objects().stream().map(ObjectLabel::colour).distinct().count() == scene.objects().size()) {
                    pairs.add(kind.apply(scene, random));
                    drawn++;
                }
            }
        }
        return pairs;
    }
}
