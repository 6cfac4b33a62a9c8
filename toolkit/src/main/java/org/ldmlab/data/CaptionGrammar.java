package org.ldmlab.data;

import static org.ldmlab.InvalidInputException.shorten;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ldmlab.InvalidInputException;
import org.ldmlab.data.Attributes.Attribute;
import org.ldmlab.data.Attributes.Colour;
import org.ldmlab.data.Attributes.Position;
import org.ldmlab.data.Attributes.Relation;
import org.ldmlab.data.Attributes.Shape;
import org.ldmlab.data.Attributes.Size;

/**
 * The caption grammar, both ways. A caption is one of
 * <pre>{@code
 *   a <size> <colour> <shape> <position>                             "a big red circle on the left"
 *   a <size> <colour> <shape> <relation> a <size> <colour> <shape>   "a small red circle above a big blue square"
 * }</pre>
 * Every word comes from {@link Attributes}, so {@code parse(caption(scene))} gives back the scene.
 */
public final class CaptionGrammar {
    private static final String ARTICLE = "a";
    private static final String FORMS = "captions read \"a <size> <colour> <shape> <position>\" or "
            + "\"a <size> <colour> <shape> <relation> a <size> <colour> <shape>\"";
    private static final int MAX_SUGGESTIONS = 3;
    private static final SortedSet<String> VOCABULARY = Collections.unmodifiableSortedSet(collectVocabulary());
    /** Two objects and the longest relation: "a small red circle to the left of a big blue square". */
    private static final int MAX_WORDS = 2 * (1 + longest(Size.values()) + longest(Colour.values()) + longest(Shape.values()))
            + longest(Relation.values());

    private CaptionGrammar() {}

    public static String caption(Scene scene) {
        ObjectLabel first = scene.objects().get(0);
        if (scene.relation() == null) {
            return describe(first) + " " + first.position().words();
        }
        return describe(first) + " " + scene.relation().words() + " " + describe(scene.objects().get(1));
    }

    /**
     * Reads a caption back into a scene. Case and extra spaces are forgiven; anything else the grammar
     * does not know is an {@link InvalidInputException} that names the problem and what would be right.
     */
    public static Scene parse(String caption) {
        List<String> words = caption.isBlank()
                ? List.of()
                : Arrays.asList(caption.trim().toLowerCase(Locale.ROOT).split("\\s+"));
        if (words.size() > MAX_WORDS) { // said at once: what the reader expected at word 13 would not help
            throw new InvalidInputException("a caption has at most " + MAX_WORDS + " words; \"" + shorten(caption) + "\" has " + words.size());
        }
        for (String word : words) {
            if (!VOCABULARY.contains(word)) {
                throw unknownWord(word, caption);
            }
        }
        return new Reader(words, caption).scene();
    }

    /** Every word a caption may use, in alphabetical order. */
    public static SortedSet<String> vocabulary() {
        return VOCABULARY;
    }

    private static String describe(ObjectLabel object) {
        return ARTICLE + " " + object.size().words() + " " + object.colour().words() + " " + object.shape().words();
    }

    private static int longest(Attribute[] values) {
        return Arrays.stream(values).mapToInt(v -> v.words().split(" ").length).max().orElse(0);
    }

    private static SortedSet<String> collectVocabulary() {
        Stream<String> phrases = Stream.concat(Stream.of(ARTICLE),
                Stream.of(Size.values(), Colour.values(), Shape.values(), Position.values(), Relation.values())
                        .flatMap(Arrays::stream)
                        .map(Attribute::words));
        return phrases.flatMap(phrase -> Arrays.stream(phrase.split(" "))).collect(Collectors.toCollection(TreeSet::new));
    }

    private static InvalidInputException unknownWord(String word, String caption) {
        String suggestions = String.join(", ", EditDistance.nearest(word, VOCABULARY, MAX_SUGGESTIONS));
        return new InvalidInputException("unknown word '" + shorten(word) + "' in \"" + shorten(caption) + "\"; did you mean: "
                + suggestions + "? Known words: " + String.join(", ", VOCABULARY));
    }

    /** An object as a caption first names it, before its position is known. */
    private record Described(Size size, Colour colour, Shape shape) {
        ObjectLabel at(Position position) {
            return new ObjectLabel(shape, colour, size, position);
        }
    }

    /** Walks the words of one caption left to right, one grammar element at a time. */
    private static final class Reader {
        private final List<String> words;
        private final String caption;
        private int next;

        Reader(List<String> words, String caption) {
            this.words = words;
            this.caption = caption;
        }

        Scene scene() {
            Described first = object();
            Position position = match(Position.values());
            if (position != null) {
                expectEnd();
                return Scene.single(first.at(position));
            }
            Relation relation = match(Relation.values());
            if (relation == null) {
                throw malformed("where the object is (" + choices(Position.values())
                        + ") or a relation to a second object (" + choices(Relation.values()) + ")", "");
            }
            Described second = object();
            expectEnd();
            return Scene.pair(first.at(relation.first()), relation, second.at(relation.second()));
        }

        /** {@code a <size> <colour> <shape>}: everything about an object but where it is. */
        private Described object() {
            if (next >= words.size() || !words.get(next).equals(ARTICLE)) {
                throw malformed("'" + ARTICLE + "'", FORMS);
            }
            next++;
            Size size = expect(Size.values(), "a size");
            Colour colour = expect(Colour.values(), "a colour");
            Shape shape = expect(Shape.values(), "a shape");
            return new Described(size, colour, shape);
        }

        private <A extends Attribute> A expect(A[] values, String what) {
            A value = match(values);
            if (value == null) {
                throw malformed(what + " (" + choices(values) + ")", "");
            }
            return value;
        }

        /** The value whose phrase the next words spell, consuming them; null (consuming nothing) if none does. */
        private <A extends Attribute> A match(A[] values) {
            for (A value : values) {
                List<String> expected = Arrays.asList(value.words().split(" "));
                int end = next + expected.size();
                if (end <= words.size() && words.subList(next, end).equals(expected)) {
                    next = end;
                    return value;
                }
            }
            return null;
        }

        private void expectEnd() {
            if (next < words.size()) {
                throw malformed("the end of the caption", FORMS);
            }
        }

        /** {@code forms}: the grammar's forms, where {@code expected} does not list the words that would do (one short line). */
        private InvalidInputException malformed(String expected, String forms) {
            String after = next == 0 ? "at the start" : "after '" + shorten(words.get(next - 1)) + "'";
            String found = next < words.size() ? "'" + shorten(words.get(next)) + "'" : "the end of the caption";
            return new InvalidInputException("cannot read \"" + shorten(caption) + "\": expected " + expected + " " + after
                    + ", found " + found + (forms.isEmpty() ? "" : "; " + forms));
        }

        private static String choices(Attribute[] values) {
            return Arrays.stream(values).map(Attribute::words).collect(Collectors.joining(", "));
        }
    }
}
