package org.ldmlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `ldmlab eval` on the shipped models, with few steps: every section and attribute is reported and written. */
class EvalCommandTest {
    @TempDir
    Path dir;

    @Test
    void reportsTheModelCardAndWritesItAsCsv() throws IOException {
        Path csv = dir.resolve("card.csv");
        CliRun run = CliRun.of("eval", "--steps", "3", "--pairs", "4", "--csv", csv.toString());
        assertEquals(0, run.status(), run.err());
        for (String s : new String[] {"autoencoder PSNR", "trained single-object captions: 100 images",
            "held-out single-object captions: 20 images", "two-object test captions: 4 images", "shape", "colour", "size",
            "position", "count", "all right", "images/s", "FID", "precision", "recall", "IS-like"}) {
            assertTrue(run.out().contains(s), s + " missing in:\n" + run.out());
        }
        String card = Files.readString(csv);
        assertTrue(card.startsWith("model,measure,value,low,high"), card);
        for (String measure : new String[] {"autoencoder_psnr_db", "held_out_single_object_captions:all_right", "fid,",
            "images_per_second"}) {
            assertTrue(card.contains(measure), measure + " missing in:\n" + card);
        }
    }

    @Test
    void badCountsAndOutputsAreClearErrorsBeforeAnySampling() throws IOException {
        String[][] cases = {
            {"--pairs must be between 0 and 5000; got -1", "--pairs", "-1"},
            {"--pairs must be between 0 and 5000; got 2000000000", "--pairs", "2000000000"},
            {"--n must be between 1 and 50; got 100000", "--n", "100000"},
            {"--threads must be between 1 and 64; got 0", "--threads", "0"},
            {"must be in 1..1000", "--steps", "5000"},
            {"--n must be between 1 and 50; got 0", "--n", "0"},
            {"it is a folder; give a file path", "--csv", dir.toString()},
            {"is a file, not a folder", "--csv", Files.writeString(dir.resolve("a-file"), "x").resolve("eval.csv").toString()},
        };
        for (String[] c : cases) {
            String[] argv = new String[c.length];
            argv[0] = "eval";
            System.arraycopy(c, 1, argv, 1, c.length - 1);
            CliRun run = CliRun.of(argv);
            assertEquals(2, run.status(), c[0] + ": " + run.err());
            assertTrue(run.err().contains(c[0]), c[0] + " not in: " + run.err());
            assertFalse(run.out().contains("autoencoder PSNR"), c[0] + ": refused only after measuring the autoencoder");
        }
    }
}
