package org.ldmlab.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ldmlab.InvalidInputException;
import org.ldmlab.data.AllScenes;
import org.ldmlab.data.Scene;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Captions to ids and back: layout, every grammar caption, the empty prompt, errors, checkpoint identity. */
class TokenizerTest {
    private static final Tokenizer TOKENIZER = Tokenizer.forShapes();

    @Test
    void layoutIsBosWordsEosThenPadding() {
        // ids by hand: <pad> 0, <bos> 1, <eos> 2, then the 23 words alphabetically from 3 (a 3, big 7, circle 11,
        // left 14, on 16, red 17, the 21)
        assertArrayEquals(new int[] {1, 3, 7, 17, 11, 16, 21, 14, 2, 0, 0, 0, 0, 0, 0, 0},
                TOKENIZER.encode("a big red circle on the left"));
        assertEquals(List.of("<bos>", "a", "big", "red", "circle", "on", "the", "left", "<eos>",
                "<pad>", "<pad>", "<pad>", "<pad>", "<pad>", "<pad>", "<pad>"), TOKENIZER.tokens("a big red circle on the left"));
        assertEquals(26, TOKENIZER.vocabularySize());
        assertEquals(16, TOKENIZER.contextLength());
    }

    @Test
    void everyGrammarCaptionRoundTripsAndFitsTheDefaultLength() {
        int longest = 0;
        for (Scene scene : AllScenes.list()) {
            String caption = scene.caption();
            int words = caption.split(" ").length;
            longest = Math.max(longest, words);
            int[] ids = TOKENIZER.encode(caption);
            assertEquals(caption, TOKENIZER.decode(ids));
            assertEquals(Tokenizer.BOS_ID, ids[0], caption);
            assertEquals(Tokenizer.EOS_ID, ids[words + 1], caption);
            for (int i = words + 2; i < ids.length; i++) {
                assertEquals(Tokenizer.PAD_ID, ids[i], caption);
            }
        }
        assertEquals(12, longest); // "a small yellow triangle to the right of a big green circle"
        assertTrue(longest + 2 <= Tokenizer.DEFAULT_CONTEXT_LENGTH, "the longest caption with <bos> and <eos>");
    }

    @Test
    void theEmptyPromptIsBosEosAndPadding() {
        int[] empty = {1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        assertArrayEquals(empty, TOKENIZER.encode(""));
        assertArrayEquals(empty, TOKENIZER.encode("  \t "));
        assertEquals("", TOKENIZER.decode(empty));
        assertEquals(List.of("<bos>", "<eos>"), TOKENIZER.tokens("").subList(0, 2));
    }

    @Test
    void forgivesCaseAndExtraWhitespace() {
        assertArrayEquals(TOKENIZER.encode("a big red circle on the left"),
                TOKENIZER.encode("  A Big RED circle \t  on the left\n"));
    }

    @Test
    void anUnknownWordIsNamedWithTheNearestKnownWords() {
        String message = assertThrows(InvalidInputException.class,
                () -> TOKENIZER.encode("a big red circel on the left")).getMessage();
        assertTrue(message.startsWith("unknown word 'circel' in \"a big red circel on the left\"; did you mean: circle?"),
                message);
        assertTrue(message.contains("Known words: a, above, at, below, big"), message);
        assertTrue(message.endsWith("triangle, yellow"), message);
        // the special tokens are not words a caption may use
        assertTrue(assertThrows(InvalidInputException.class, () -> TOKENIZER.encode("a <pad>")).getMessage()
                .startsWith("unknown word '<pad>'"));
    }

    @Test
    void aTooLongCaptionStatesTheLimit() {
        String fifteen = String.join(" ", Collections.nCopies(15, "red"));
        String message = assertThrows(InvalidInputException.class, () -> TOKENIZER.encode(fifteen)).getMessage();
        assertTrue(message.contains("has 15 words, but a caption may have at most 14 (the context length 16"), message);
        TOKENIZER.encode(String.join(" ", Collections.nCopies(14, "red"))); // exactly the limit fits
        Tokenizer short4 = new Tokenizer(TOKENIZER.vocabulary(), 4);
        assertTrue(assertThrows(InvalidInputException.class, () -> short4.encode("a red circle")).getMessage()
                .contains("has 3 words, but a caption may have at most 2"));
    }

    @Test
    void positionsOfAWordAreItsTokenIndices() {
        String caption = "a small red circle above a big blue square";
        assertArrayEquals(new int[] {1, 6}, TOKENIZER.positionsOf(caption, "a"));
        assertArrayEquals(new int[] {8}, TOKENIZER.positionsOf(caption, "Blue"));
        assertArrayEquals(new int[] {}, TOKENIZER.positionsOf(caption, "green"));
        assertEquals("blue", TOKENIZER.tokens(caption).get(8));
        String message = assertThrows(InvalidInputException.class, () -> TOKENIZER.positionsOf(caption, "gren"))
                .getMessage();
        assertTrue(message.contains("unknown word 'gren'") && message.contains("did you mean: green"), message);
    }

    @Test
    void aBatchIsIntIdsOneRowPerCaption() {
        List<String> captions = List.of("a big red circle on the left", "");
        INDArray batch = TOKENIZER.encodeBatch(captions);
        assertArrayEquals(new long[] {2, 16}, batch.shape());
        assertEquals(DataType.INT32, batch.dataType());
        for (int b = 0; b < captions.size(); b++) {
            assertArrayEquals(TOKENIZER.encode(captions.get(b)), batch.getRow(b).toIntVector());
        }
    }

    @Test
    void theFingerprintChangesWithTheVocabulary() {
        List<String> words = new ArrayList<>(TOKENIZER.vocabulary());
        Tokenizer rebuilt = new Tokenizer(words, Tokenizer.DEFAULT_CONTEXT_LENGTH);
        assertEquals(TOKENIZER, rebuilt); // what a checkpoint does: store vocabulary(), rebuild
        assertEquals(TOKENIZER.fingerprint(), rebuilt.fingerprint());
        words.add("purple");
        Tokenizer extended = new Tokenizer(words, Tokenizer.DEFAULT_CONTEXT_LENGTH);
        assertNotEquals(TOKENIZER, extended);
        assertNotEquals(TOKENIZER.fingerprint(), extended.fingerprint());
        assertNotEquals(TOKENIZER.fingerprint(), new Tokenizer(TOKENIZER.vocabulary(), 20).fingerprint());
        List<String> swapped = new ArrayList<>(TOKENIZER.vocabulary());
        Collections.swap(swapped, 0, 1);
        assertNotEquals(TOKENIZER.fingerprint(), new Tokenizer(swapped, Tokenizer.DEFAULT_CONTEXT_LENGTH).fingerprint());
    }

    @Test
    void aVocabularyIsCheckedWhenBuilt() {
        assertThrows(InvalidInputException.class, () -> new Tokenizer(List.of("red", "red"), 8));
        assertThrows(InvalidInputException.class, () -> new Tokenizer(List.of("red", "<eos>"), 8));
        assertThrows(InvalidInputException.class, () -> new Tokenizer(List.of("Red"), 8));
        assertThrows(InvalidInputException.class, () -> new Tokenizer(List.of("on the"), 8));
        assertThrows(InvalidInputException.class, () -> new Tokenizer(List.of("red"), 1));
    }
}
