package org.ldmlab.data;

import java.util.Collection;
import java.util.List;

/**
 * Levenshtein distance: the fewest single-letter insertions, deletions and substitutions that turn one
 * word into another. Used to suggest the word a user probably meant ("circel" is 2 from "circle").
 */
public final class EditDistance {
    private EditDistance() {}

    public static int between(String a, String b) {
        // previous[j] is the distance between the first i-1 letters of a and the first j letters of b.
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                int delete = previous[j] + 1;
                int insert = current[j - 1] + 1;
                current[j] = Math.min(substitute, Math.min(delete, insert));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** The known words nearest to {@code word}, at most {@code limit} of them, in the order {@code known} has them. */
    public static List<String> nearest(String word, Collection<String> known, int limit) {
        int best = known.stream().mapToInt(k -> between(word, k)).min().orElse(0);
        return known.stream().filter(k -> between(word, k) == best).limit(limit).toList();
    }
}
