package org.ldmlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
