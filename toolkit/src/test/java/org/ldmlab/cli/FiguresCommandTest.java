package org.ldmlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `ldmlab figures` remakes the tour's figures and says where the sweep's come from. */
class FiguresCommandTest {
    @Test
    void makesTheTourFiguresAndNamesTheSweepForTheRest(@TempDir Path dir) {
        CliRun run = CliRun.of("figures", "--out", dir.toString());
        assertEquals(0, run.status(), run.err());
        for (String name : List.of("dataset_preview.png", "forward_noising.png", "schedules.png", "samples.png", "inpainting.png")) {
            assertTrue(Files.isRegularFile(dir.resolve(name)), name);
        }
        assertTrue(run.out().contains("ldmlab sweep guidance"), run.out());
    }
}
