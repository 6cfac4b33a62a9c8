package org.ldmlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldmlab.JavaProcess;

/**
 * `ldmlab dataset` stopped half way in a process of its own: by SIGTERM (what Ctrl-C does too), nothing is left; by
 * kill -9, which no program can clean up after, the next run removes the leftover (and never one of a live run).
 */
class DatasetInterruptTest {
    @TempDir
    Path work;
    @TempDir
    Path logs;
    private Process child;

    @AfterEach
    void stopChild() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    @Test
    void sigtermHalfWayLeavesNothing() throws Exception {
        startDatasetWritingInto(work.resolve("set"));
        child.destroy(); // SIGTERM
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the run did not end on SIGTERM");
        assertEquals(List.of(), DatasetCommandTest.listing(work));
    }

    @Test
    void sigtermLeavesNoFolderTheRunMadeForItsOutput() throws Exception {
        // the folders made for --out new/deeper/set were left behind, empty (notebooks' --out too)
        startDatasetWritingInto(work.resolve("new").resolve("deeper").resolve("set"));
        child.destroy(); // SIGTERM
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the run did not end on SIGTERM");
        assertEquals(List.of(), DatasetCommandTest.listing(work));
    }

    @Test
    void theNextRunRemovesTheLeftoverOfAKilledRunButNotOfALiveOne() throws Exception {
        Path leftover = startDatasetWritingInto(work.resolve("set"));

        CliRun meanwhile = CliRun.of("dataset", "--out", work.resolve("a").toString(), "--count", "1");
        assertEquals(0, meanwhile.status(), meanwhile.err());
        assertTrue(Files.isDirectory(leftover), "the live run's temporary folder was removed");

        child.destroyForcibly(); // kill -9: no shutdown hook runs
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertTrue(Files.isDirectory(leftover));
        CliRun next = CliRun.of("dataset", "--out", work.resolve("b").toString(), "--count", "1");
        assertEquals(0, next.status(), next.err());
        assertEquals(List.of("a", "b"), topLevel(work));
    }

    /** Starts a long dataset run in another JVM; returns its temporary folder once images are being written there. */
    private Path startDatasetWritingInto(Path out) throws Exception {
        child = JavaProcess.start(Main.class, logs.resolve("dataset.log"), "dataset", "--out", out.toString(), "--count", "100000");
        Path[] temporary = new Path[1];
        boolean writing = JavaProcess.await(() -> {
            temporary[0] = temporaryFolder(out.getParent());
            return temporary[0] != null && count(temporary[0].resolve("images")) >= 5;
        }, Duration.ofSeconds(60));
        assertTrue(writing, "the child never wrote images: " + JavaProcess.read(logs.resolve("dataset.log")));
        return temporary[0];
    }

    private static Path temporaryFolder(Path parent) {
        try (Stream<Path> s = Files.list(parent)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".ldmlab-tmp-")).findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static long count(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static List<String> topLevel(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
