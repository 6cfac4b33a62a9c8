package org.ldmlab.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.ldmlab.InvalidInputException;

/**
 * The three parts of the dataset. Each split draws its own samples from the same seed. Only the test
 * split may show the {@link HeldOut} colour-shape combinations, so it can measure whether a model
 * composes attributes it has only ever seen apart.
 */
public enum Split {
    TRAIN, VAL, TEST;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean showsHeldOut() {
        return this == TEST;
    }

    /** The split named by {@code word} ("train", "val" or "test"). */
    public static Split parse(String word) {
        for (Split split : values()) {
            if (split.label().equals(word)) {
                return split;
            }
        }
        throw new InvalidInputException("unknown split '" + word + "'; valid splits: "
                + Arrays.stream(values()).map(Split::label).collect(Collectors.joining(", ")));
    }
}
