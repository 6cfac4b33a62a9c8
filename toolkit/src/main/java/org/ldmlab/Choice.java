package org.ldmlab;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One value of a choice that commands and checkpoints spell as a word: an enum constant, written as its lower-case
 * name ({@code CAUSAL} is "causal").
 */
public interface Choice {
    String name();

    /** How the value is written on the command line and in a checkpoint's settings. */
    default String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value of {@code type} spelled {@code word}; an unknown word is a clear error that lists the choices. */
    static <E extends Enum<E> & Choice> E parse(Class<E> type, String word, String what) {
        for (E value : type.getEnumConstants()) {
            if (value.word().equals(word)) {
                return value;
            }
        }
        throw new InvalidInputException("unknown " + what + " '" + word + "'; choose "
                + Arrays.stream(type.getEnumConstants()).map(Choice::word).collect(Collectors.joining(", ")));
    }
}
