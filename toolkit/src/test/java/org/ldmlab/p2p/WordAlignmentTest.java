package org.ldmlab.p2p;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.ldmlab.InvalidInputException;
import org.ldmlab.text.Tokenizer;
import org.nd4j.linalg.api.ndarray.INDArray;

class WordAlignmentTest {
    private static final Tokenizer TOKENIZER = Tokenizer.forShapes();

    @Test
    void replaceMapsTokensByPositionAndRefusesDifferentWordCounts() {
        assertArrayEquals(IntStream.range(0, 16).toArray(),
                WordAlignment.replace(TOKENIZER, "a big red circle", "a big blue circle").sourceOf());
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> WordAlignment.replace(TOKENIZER, "a red circle", "a big red circle on the left"));
        assertTrue(e.getMessage().contains("source has 3 words and the target 7"), e.getMessage());
        assertTrue(e.getMessage().contains("--mode refine"), e.getMessage());
    }

    @Test
    void theChangedWordIsTheFirstSwappedOrNewTargetWord() {
        String source = "a big red circle on the left";
        assertEquals(3, WordAlignment.of(EditMode.REPLACE, TOKENIZER, source, "a big blue circle on the left")
                .changedToken(TOKENIZER, source, "a big blue circle on the left"));
        assertEquals(5, WordAlignment.of(EditMode.REPLACE, TOKENIZER, source, "a big red circle at the top")
                .changedToken(TOKENIZER, source, "a big red circle at the top"), "'on' -> 'at': the first differing word");
        assertEquals(2, WordAlignment.of(EditMode.REFINE, TOKENIZER, "a red circle", "a big red circle")
                .changedToken(TOKENIZER, "a red circle", "a big red circle"));
        assertEquals(-1, WordAlignment.of(EditMode.REWEIGHT, TOKENIZER, source, source).changedToken(TOKENIZER, source, source));
        assertEquals(-1, WordAlignment.of(EditMode.REFINE, TOKENIZER, source, "a red circle").changedToken(TOKENIZER, source, "a red circle"),
                "removing words changes no target word");
    }

    @Test
    void refineAlignsTheWordsAndLeavesAnInsertedWordUnaligned() {
        // target: <bos> a big red circle <eos> <pad>..; source: <bos> a red circle <eos> <pad>..
        int[] expected = {0, 1, -1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
        WordAlignment a = WordAlignment.refine(TOKENIZER, "a red circle", "a big red circle");
        assertArrayEquals(expected, a.sourceOf());
        INDArray p = a.mapper(); // [L, L]
        assertEquals(1, p.getDouble(2, 3), "target 'red' (3) takes source 'red' (2)");
        assertEquals(0, p.getColumn(2).sumNumber().doubleValue(), "'big' takes no source column");
        assertEquals(0, a.aligned().getDouble(2));
        assertEquals(15, a.aligned().sumNumber().doubleValue());
    }

    @Test
    void refineOfASwappedWordAlignsTheRestAndNotTheSwappedWord() {
        int[] a = WordAlignment.refine(TOKENIZER, "a big red circle on the left", "a big blue circle on the left").sourceOf();
        assertEquals(-1, a[3], "a mismatch (-1) scores below two gaps (0): blue has no source token");
        assertArrayEquals(new int[] {0, 1, 2}, java.util.Arrays.copyOf(a, 3));
        assertArrayEquals(new int[] {4, 5, 6, 7, 8}, java.util.Arrays.copyOfRange(a, 4, 9));
    }
}
