package org.ldmlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ldmlab.InvalidInputException;

class ArgsTest {
    @Test
    void readsOptionsSwitchesAndPositionalWords() {
        Args a = Args.parse("train", new String[] {"ldm", "--steps", "10", "--resume", "--eta=-0.5", "--out", "d"});
        assertEquals(List.of("ldm"), a.positional());
        assertEquals(10, a.integer("steps", 0));
        assertTrue(a.flag("resume"));
        assertFalse(a.flag("verbose"));
        assertEquals(-0.5, a.number("eta", 0), 0.0);
        assertEquals("d", a.string("out", null));
        a.requireAllUsed();
    }

    @Test
    void aNegativeNumberIsAValueNotAnOption() {
        assertEquals(-3, Args.parse("x", new String[] {"--scale", "-3"}).integer("scale", 0));
    }

    @Test
    void misspeltOptionIsNamedWithTheKnownOnes() {
        Args a = Args.parse("schedule", new String[] {"--step", "10"});
        a.integer("steps", 1000);
        InvalidInputException e = assertThrows(InvalidInputException.class, a::requireAllUsed);
        assertTrue(e.getMessage().contains("--step") && e.getMessage().contains("--steps"), e.getMessage());
    }

    @Test
    void nonFiniteNumbersAreRejected() {
        for (String v : new String[] {"NaN", "Infinity", "-Infinity", "1e400"}) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> Args.parse("train", new String[] {"--lr", v}).number("lr", 1e-3));
            assertEquals("--lr needs a finite number, got '" + v + "'", e.getMessage());
        }
        assertEquals(1e308, Args.parse("x", new String[] {"--eta", "1e308"}).number("eta", 0), 0.0);
    }

    @Test
    void aBoundedWholeNumberNamesItsRange() {
        assertEquals(32, Args.parse("train", new String[] {"--batch", "32"}).integer("batch", 16, 1, 256));
        assertEquals(16, Args.parse("train", new String[0]).integer("batch", 16, 1, 256));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Args.parse("train", new String[] {"--batch", "100000000"}).integer("batch", 16, 1, 256));
        assertEquals("--batch must be between 1 and 256; got 100000000", e.getMessage());
        assertThrows(InvalidInputException.class, () -> Args.parse("eval", new String[] {"--threads", "0"}).threads());
    }

    @Test
    void badNumbersAndDuplicatesAreRejected() {
        assertThrows(InvalidInputException.class, () -> Args.parse("x", new String[] {"--n", "ten"}).integer("n", 1));
        assertThrows(InvalidInputException.class, () -> Args.parse("x", new String[] {"--n", "1", "--n", "2"}));
        assertThrows(InvalidInputException.class, () -> Args.parse("x", new String[] {"--out"}).required("out", "a file"));
    }

    @Test
    void anOptionGivenWithoutItsValueIsRefusedNotReadAsTheWordTrue() {
        // `eval --csv` (no value) wrote the model card to a file named "true", `tour --out` its figures to a folder "true"
        for (String[] words : new String[][] {{"--csv"}, {"--csv", "--n", "3"}}) {
            Args a = Args.parse("eval", words);
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> a.string("csv", "figures/eval.csv"));
            assertEquals("--csv needs a value", e.getMessage());
        }
        assertThrows(InvalidInputException.class, () -> Args.parse("x", new String[] {"--n"}).integer("n", 1));
        assertTrue(Args.parse("x", new String[] {"--resume"}).flag("resume"), "a switch takes no value");
        assertEquals("true", Args.parse("x", new String[] {"--name", "true"}).string("name", null), "the word true given as a value");
    }

    @Test
    void aWordThatIsNotAnOptionIsRefusedByACommandThatTakesNone() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Args.parse("info", new String[] {"extra"}).requireAllUsed());
        assertEquals("unexpected word 'extra': `ldmlab info` takes only options (words starting with --)", e.getMessage());
        CliRun run = CliRun.of("info", "extra");
        assertEquals(2, run.status(), run.out());
    }
}
