package org.ldmlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldmlab.JavaProcess;
import org.ldmlab.io.HoldFolderLock;

/** A training run owns its --out folder while it runs, and a run that failed before saving anything leaves no folder. */
class OutputFolderTest {
    @TempDir
    Path dir;
    @TempDir
    Path logs;
    private Process other;

    @AfterEach
    void stopOther() {
        if (other != null) {
            other.destroyForcibly();
        }
    }

    @Test
    void aSecondRunIntoTheSameFolderIsRefusedBeforeAnyWork() throws Exception {
        Path out = dir.resolve("runs");
        Path log = logs.resolve("other.log");
        other = JavaProcess.start(HoldFolderLock.class, log, out.toString()); // a training run of another process
        assertTrue(JavaProcess.await(() -> JavaProcess.read(log).contains("locked"), Duration.ofSeconds(30)), JavaProcess.read(log));

        CliRun second = CliRun.of("train", "classifier", "--steps", "1", "--batch", "4", "--out", out.toString());
        assertEquals(2, second.status(), second.out() + second.err());
        assertTrue(second.err().contains("another training is running in " + out + " (process " + other.pid() + ")"), second.err());
        assertFalse(Files.exists(out.resolve("classifier.zip")));
    }

    @Test
    void aCsvThatIsAFolderIsRefusedBeforeTheWork() throws Exception {
        // edit-score, inversion-bench and edit-bench sampled (edit-bench for 26 s) before they found --csv was a folder
        Path folder = Files.createDirectories(dir.resolve("table.csv"));
        String[][] commands = {
            {"edit-score", "--pairs", "1", "--steps", "2"},
            {"inversion-bench", "--n", "1", "--scales", "1", "--steps", "2", "--figures", dir.resolve("figures").toString()},
            {"edit-bench", "--n", "1", "--steps", "2", "--figure", dir.resolve("edit_bench.png").toString()},
        };
        for (String[] command : commands) {
            String[] argv = java.util.Arrays.copyOf(command, command.length + 2);
            argv[command.length] = "--csv";
            argv[command.length + 1] = folder.toString();
            CliRun run = CliRun.withSystemErr(argv);
            assertEquals(2, run.status(), command[0] + ": " + run.err());
            assertTrue(run.err().startsWith("ldmlab " + command[0] + ": error: cannot write " + folder + ": it is a folder"), run.err());
        }
        assertEquals(1, Files.list(dir).count(), "nothing but the folder");
    }

    /** A run that fails inside its folder lock, before its first checkpoint (here: nothing to resume), leaves no folder. */
    @Test
    void aRunThatFailsBeforeItsFirstCheckpointLeavesNoFolder() {
        Path out = dir.resolve("runs");
        CliRun run = CliRun.of("train", "classifier", "--steps", "5", "--batch", "4", "--resume", "--out", out.toString());
        assertEquals(2, run.status(), run.out() + run.err());
        assertTrue(run.err().contains("no checkpoint at"), run.err());
        assertFalse(Files.exists(out), "an empty output folder is left behind");
    }

    @Test
    void aSweepThatFailsAfterItsChecksLeavesNoFolder() throws Exception {
        Path out = dir.resolve("figures");
        Path notAModel = Files.writeString(dir.resolve("model.zip"), "not a zip");
        CliRun run = CliRun.of("sweep", "guidance", "--n", "8", "--model", notAModel.toString(), "--out", out.toString());
        assertEquals(2, run.status(), run.err());
        assertTrue(run.err().contains("is corrupt or truncated"), run.err());
        assertFalse(Files.exists(out), "an empty output folder is left behind");
    }
}
