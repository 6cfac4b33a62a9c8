package org.ldmlab.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ldmlab.data.Attributes.Attribute;

/**
 * What one word of a caption says, and about which object: the ground truth an attention map of that word is
 * scored against. A word of an attribute's phrase that carries its meaning ("left" in "on the left", "above")
 * has the attribute's role; the other words of a phrase ("on", "the", "to", "of") and the article are
 * {@link Kind#FUNCTION}. A relation word describes both objects ({@code object} -1).
 *
 * @param object 0 or 1: the object the word describes (in caption order); -1: both (relations) or none (function words)
 */
public record WordRole(String word, Kind kind, int object) {
    /** The classes of words, as localisation is reported per class. */
    public enum Kind {
        SIZE, COLOUR, SHAPE, POSITION, RELATION, FUNCTION;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The role of every word of {@code scene}'s caption, in caption order (the words of {@link Scene#caption()}). */
    public static List<WordRole> of(Scene scene) {
        List<WordRole> roles = new ArrayList<>();
        describe(scene.objects().get(0), 0, roles);
        if (scene.relation() == null) {
            phrase(scene.objects().get(0).position(), Kind.POSITION, 0, roles);
        } else {
            phrase(scene.relation(), Kind.RELATION, -1, roles);
            describe(scene.objects().get(1), 1, roles);
        }
        return roles;
    }

    private static void describe(ObjectLabel o, int object, List<WordRole> roles) {
        roles.add(new WordRole("a", Kind.FUNCTION, -1));
        roles.add(new WordRole(o.size().words(), Kind.SIZE, object));
        roles.add(new WordRole(o.colour().words(), Kind.COLOUR, object));
        roles.add(new WordRole(o.shape().words(), Kind.SHAPE, object));
    }

    /** "on the left": "left" carries the meaning; "to the left of": "left" does. */
    private static void phrase(Attribute a, Kind kind, int object, List<WordRole> roles) {
        List<String> words = Arrays.asList(a.words().split(" "));
        int content = words.size() == 1 ? 0 : words.get(words.size() - 1).equals("of") ? words.size() - 2 : words.size() - 1;
        for (int i = 0; i < words.size(); i++) {
            roles.add(i == content ? new WordRole(words.get(i), kind, object) : new WordRole(words.get(i), Kind.FUNCTION, -1));
        }
    }
}
