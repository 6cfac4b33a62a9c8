package org.ldmlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldmlab.p2p.EditKind;

/** {@code ldmlab edit-score} end to end on the shipped models (one pair per kind, five steps), and bad input. */
class EditScoreCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsEveryKindForBothMethodsAndWritesTheCsv() throws Exception {
        Path csv = dir.resolve("edit_score.csv");
        CliRun run = CliRun.of("edit-score", "--pairs", "1", "--steps", "5", "--csv", csv.toString());
        assertEquals(0, run.status(), run.err());
        for (EditKind kind : EditKind.values()) {
            for (String method : List.of("p2p", "baseline")) {
                assertTrue(run.out().matches("(?s).*\\| " + kind.word() + " +\\| " + method + " +\\| +1 \\|.*"), kind + " " + method + ":\n" + run.out());
            }
        }
        List<String> lines = Files.readAllLines(csv);
        assertTrue(lines.get(0).startsWith("kind,method,n,iou,"), lines.get(0));
        assertEquals(1 + 2 * EditKind.values().length, lines.size());
    }

    @Test
    void refusesNoPairsAndBadStepsBeforeSampling() {
        Path csv = dir.resolve("never.csv");
        for (String[] c : new String[][] {{"--pairs", "0", "--pairs is the number of caption pairs per edit kind"},
                {"--steps", "0", "steps"}, {"--guidance", "x", "--guidance"}}) {
            CliRun run = CliRun.of("edit-score", c[0], c[1], "--csv", csv.toString());
            assertEquals(2, run.status(), run.err());
            assertTrue(run.err().contains(c[2]), run.err());
            assertFalse(Files.exists(csv));
        }
    }
}
