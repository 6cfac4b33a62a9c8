package org.ldmlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ldmlab edit} end to end on the shipped model, and inputs it refuses before sampling. */
class EditCommandTest {
    private static final String SOURCE = "a big red circle on the left";
    private static final String TARGET = "a big blue circle on the left";

    @TempDir
    Path dir;

    @Test
    void writesTheSourceTheEditTheBaselineAndTheComparison() throws Exception {
        Path out = dir.resolve("edit");
        CliRun run = CliRun.of("edit", "--source", SOURCE, "--target", TARGET, "--steps", "4", "--cross-word", "circle=0.4",
                "--blend", "red blue", "--reweight", "blue=1.5", "--out", out.toString());
        assertEquals(0, run.status(), run.err());
        for (String file : List.of("source.png", "edited.png", "baseline.png", "compare.png")) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
        assertEquals(32, javax.imageio.ImageIO.read(out.resolve("edited.png").toFile()).getWidth());
        assertTrue(run.out().contains("compare.png shows the cross-attention of 'blue'"), run.out());
    }

    @Test
    void refusesBadInputBeforeSamplingWithAReasonAndWritesNothing() {
        String[][] cases = {
            {"source has 7 words and the target 8", "--target", "a big blue circle on the top left"},
            {"'green' is not a word of", "--target", TARGET, "--blend", "green"},
            {"its words are: a, big, blue, circle, on, the, left", "--target", TARGET, "--reweight", "red=2"},
            {"in [0, 1]", "--target", TARGET, "--cross", "1.5"},
            {"--self needs a finite number, got 'NaN'", "--target", TARGET, "--self", "NaN"},
            {"unknown word 'purple'", "--target", "a big purple circle on the left"},
            {"unknown edit mode", "--target", TARGET, "--mode", "swap"},
            {"needs at least one --reweight", "--target", TARGET, "--mode", "reweight"},
        };
        for (String[] c : cases) {
            String[] argv = new String[c.length + 4];
            argv[0] = "edit";
            argv[1] = "--source";
            argv[2] = SOURCE;
            System.arraycopy(c, 1, argv, 3, c.length - 1);
            argv[argv.length - 2] = "--out";
            argv[argv.length - 1] = dir.resolve("never").toString();
            CliRun run = CliRun.of(argv);
            assertEquals(2, run.status(), String.join(" ", argv) + "\n" + run.err());
            assertTrue(run.err().contains(c[0]), c[0] + " not in: " + run.err());
            assertFalse(Files.exists(dir.resolve("never")));
        }
    }

    @Test
    void editsThatSampleNaNAreNotWritten() {
        // --guidance 1e308 overflows the guided noise: edit wrote four black pictures with exit 0
        Path out = dir.resolve("nan");
        CliRun run = CliRun.of("edit", "--source", SOURCE, "--target", TARGET, "--steps", "2", "--guidance", "1e308", "--out", out.toString());
        assertEquals(2, run.status(), run.out() + run.err());
        assertTrue(run.err().contains("sampling gave NaN or infinite values (ddim, 2 steps, guidance 1.0E308)"), run.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void refusesANonEmptyOutputFolderBeforeSampling() throws Exception {
        Files.writeString(dir.resolve("keep.txt"), "mine");
        CliRun run = CliRun.of("edit", "--source", SOURCE, "--target", SOURCE, "--out", dir.toString());
        assertEquals(2, run.status(), run.err());
        assertTrue(run.err().contains("already exists and is not empty"), run.err());
        assertFalse(run.err().contains("t="), "no sampling step was taken");
    }
}
