package org.ldmlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCommandTest {
    @TempDir
    Path tmp;

    @Test
    void writesTheRequestedSamples() throws IOException {
        Path out = tmp.resolve("shapes");
        CliRun run = CliRun.of("dataset", "--out", out.toString(), "--count", "5", "--seed", "2", "--split", "val");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("wrote 5 val samples (seed 2)"), run.out());
        List<String> manifest = Files.readAllLines(out.resolve("manifest.csv"));
        assertEquals(6, manifest.size());
        assertTrue(manifest.get(1).startsWith("0,images/000000.png,a "), manifest.get(1));
        assertTrue(manifest.stream().skip(1).allMatch(line -> line.contains(",val,")), manifest.toString());
    }

    @Test
    void anUnknownSplitNamesTheValidOnes() throws IOException {
        CliRun run = CliRun.of("dataset", "--out", tmp.resolve("x").toString(), "--count", "3", "--split", "training");
        assertEquals(2, run.status());
        assertTrue(run.err().contains("unknown split 'training'; valid splits: train, val, test"), run.err());
        assertEquals(List.of(), listing(tmp));
    }

    @Test
    void theCountMustBePositiveAndPossible() throws IOException {
        // 2000000000 wrote PNGs for what its progress bar estimated at 8,000 hours, to fill the disk first
        for (String count : new String[] {"0", "-3", "1000001", "2000000000"}) {
            CliRun run = CliRun.withSystemErr("dataset", "--out", tmp.resolve("x").toString(), "--count", count);
            assertEquals(2, run.status(), count);
            assertTrue(run.err().startsWith("ldmlab dataset: error: --count must be between 1 and 1000000; got " + count), run.err());
        }
        CliRun missing = CliRun.of("dataset", "--out", tmp.resolve("x").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("missing --count"), missing.err());
        assertEquals(List.of(), listing(tmp));
    }

    @Test
    void aPathUnderAFileIsRefused() throws IOException {
        Path file = Files.writeString(tmp.resolve("plain.txt"), "not a folder");
        CliRun run = CliRun.of("dataset", "--out", file.resolve("shapes").toString(), "--count", "3");
        assertEquals(2, run.status());
        assertTrue(run.err().contains("is a file, not a folder"), run.err());
        assertEquals(List.of("plain.txt"), listing(tmp));
        assertEquals("not a folder", Files.readString(file));
    }

    @Test
    void aNonEmptyFolderIsLeftAlone() throws IOException {
        Path out = Files.createDirectory(tmp.resolve("shapes"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        CliRun run = CliRun.of("dataset", "--out", out.toString(), "--count", "3");
        assertEquals(2, run.status());
        assertTrue(run.err().contains("already exists and is not empty"), run.err());
        assertEquals(List.of("shapes", "shapes/keep.txt"), listing(tmp));
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));
    }

    @Test
    void aMisspeltOptionIsNamed() {
        CliRun run = CliRun.of("dataset", "--out", tmp.resolve("x").toString(), "--count", "3", "--sead", "1");
        assertEquals(2, run.status());
        assertTrue(run.err().contains("unknown option --sead"), run.err());
    }

    /** Every path under {@code folder}, hidden temporary folders included, relative and sorted. */
    static List<String> listing(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(p -> !p.equals(folder)).map(p -> folder.relativize(p).toString()).sorted()
                    .collect(Collectors.toList());
        }
    }
}
