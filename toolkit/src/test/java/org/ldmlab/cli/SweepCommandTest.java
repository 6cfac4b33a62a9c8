package org.ldmlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guidance sweep on the shipped model, tiny: the table, plots and grid appear, and a rerun resumes. */
class SweepCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesTheTableAndFiguresAndResumesFinishedScales() throws IOException {
        CliRun first = CliRun.of("sweep", "guidance", "--scales", "1,3", "--n", "4", "--steps", "3", "--out", dir.toString());
        assertEquals(0, first.status(), first.err());
        for (String f : new String[] {"guidance_sweep.csv", "guidance_fid.png", "guidance_adherence.png", "guidance_tradeoff.png",
            "guidance_grid.png"}) {
            assertTrue(Files.exists(dir.resolve(f)), f);
        }
        assertEquals(3, Files.readAllLines(dir.resolve("guidance_sweep.csv")).size(), "a header and one row per scale");
        CliRun again = CliRun.of("sweep", "guidance", "--scales", "1,3,5", "--n", "4", "--steps", "3", "--out", dir.toString());
        assertEquals(0, again.status(), again.err());
        assertTrue(again.out().contains("scale 1.0: already in") && again.out().contains("scale 3.0: already in"), again.out());
        assertEquals(4, Files.readAllLines(dir.resolve("guidance_sweep.csv")).size(), "only the new scale was added");
    }

    @Test
    void badInputIsAClearError() {
        assertTrue(CliRun.of("sweep", "guidance", "--scales", "1,x", "--out", dir.toString()).err().contains("--scales"));
        assertTrue(CliRun.of("sweep", "guidance", "--n", "3", "--out", dir.toString()).err().contains("--n"));
        CliRun unknown = CliRun.of("sweep", "eta");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains("`ldmlab sweep guidance` or `ldmlab sweep injection`; got 'eta'"), unknown.err());
        CliRun noPairs = CliRun.of("sweep", "injection", "--pairs", "0", "--out", dir.toString());
        assertEquals(2, noPairs.status());
        assertTrue(noPairs.err().contains("--pairs"), noPairs.err());
    }

    @Test
    void theInjectionSweepWritesItsTableCurvesAndGrid() throws IOException {
        CliRun run = CliRun.of("sweep", "injection", "--pairs", "1", "--steps", "2", "--out", dir.toString());
        assertEquals(0, run.status(), run.err());
        for (String f : new String[] {"injection_sweep.csv", "injection_curves.png", "injection_grid.png"}) {
            assertTrue(Files.exists(dir.resolve(f)), f);
        }
        java.util.List<String> lines = Files.readAllLines(dir.resolve("injection_sweep.csv"));
        assertTrue(lines.get(0).startsWith("cross,kind,method,n,iou"), lines.get(0));
        assertEquals(1 + org.ldmlab.p2p.InjectionSweep.FRACTIONS.length * org.ldmlab.p2p.EditKind.values().length, lines.size());
        assertTrue(lines.get(1).startsWith("0.0,colour,baseline,1,"), lines.get(1));
        assertTrue(run.out().contains("| position |"), run.out());
    }

    @Test
    void aTableOfAnOlderSweepIsRefusedWithTheWayOut() throws IOException {
        Files.writeString(dir.resolve("guidance_sweep.csv"), "scale,samples,adherence,adherence_low,adherence_high,diversity,seconds,steps,seed\n"
                + "1.0,4,0.5,0.1,0.9,0.04,3.0,3,0\n");
        CliRun old = CliRun.of("sweep", "guidance", "--scales", "1", "--n", "4", "--steps", "3", "--out", dir.toString());
        assertEquals(2, old.status());
        assertTrue(old.err().contains("cannot be resumed: it is not a table of this sweep's columns")
                && old.err().contains("delete it or use another --out"), old.err());
    }

    @Test
    void aSweepWithOtherSettingsIsNotMixedIn() {
        assertEquals(0, CliRun.of("sweep", "guidance", "--scales", "1", "--n", "4", "--steps", "3", "--out", dir.toString()).status());
        CliRun other = CliRun.of("sweep", "guidance", "--scales", "2", "--n", "6", "--steps", "3", "--out", dir.toString());
        assertEquals(2, other.status());
        assertTrue(other.err().contains("other settings"), other.err());
    }

    @Test
    void aSweepOfAnotherModelIsNotResumedAndASeedBeyondIntResumes() {
        String[] sweep = {"sweep", "guidance", "--scales", "1", "--n", "4", "--steps", "2", "--seed", "4294967297", "--out", dir.toString()};
        assertEquals(0, CliRun.of(sweep).status());
        CliRun again = CliRun.of(sweep);
        assertEquals(0, again.status(), again.err());
        assertTrue(again.out().contains("scale 1.0: already in"), again.out());
        String[] dit = java.util.stream.Stream.concat(java.util.Arrays.stream(sweep), java.util.stream.Stream.of("--model", "dit"))
                .toArray(String[]::new);
        CliRun other = CliRun.of(dit);
        assertEquals(2, other.status(), other.out() + other.err());
        assertTrue(other.err().contains("other settings (model shipped ldm (sha256 ") && other.err().contains(", not dit (sha256 "),
                other.err());
    }

    @Test
    void aRowThatIsNotWholeIsAClearErrorBeforeAnyWorkAlsoForFigures() throws IOException {
        assertEquals(0, CliRun.of("sweep", "guidance", "--scales", "1", "--n", "4", "--steps", "2", "--out", dir.toString()).status());
        Path csv = dir.resolve("guidance_sweep.csv");
        java.util.List<String> lines = Files.readAllLines(csv);
        String[] cells = lines.get(1).split(",", -1);
        for (String bad : new String[] {"NaN", "garbage"}) {
            cells[2] = bad; // fid
            Files.writeString(csv, lines.get(0) + "\n" + String.join(",", cells) + "\n");
            for (String plot : new String[] {"guidance_fid.png", "guidance_grid.png"}) {
                Files.deleteIfExists(dir.resolve(plot));
            }
            CliRun sweep = CliRun.of("sweep", "guidance", "--scales", "1,2", "--n", "4", "--steps", "2", "--out", dir.toString());
            assertEquals(2, sweep.status(), bad + ": " + sweep.err());
            assertTrue(sweep.err().contains(csv + " cannot be resumed: "), bad + ": " + sweep.err());
            CliRun figures = CliRun.of("figures", "--with-sweep", "--out", dir.toString());
            assertEquals(2, figures.status(), bad + ": " + figures.err());
            assertTrue(figures.err().contains(csv + " cannot be resumed: "), bad + ": " + figures.err());
            for (String plot : new String[] {"guidance_fid.png", "guidance_grid.png", "dataset_preview.png"}) {
                assertFalse(Files.exists(dir.resolve(plot)), bad + ": " + plot + " was drawn before the refusal");
            }
        }
    }

    @Test
    void repeatedScalesAndHugeSetsAreRefused() {
        CliRun twice = CliRun.of("sweep", "guidance", "--scales", "1,1", "--n", "4", "--steps", "2", "--out", dir.toString());
        assertEquals(2, twice.status(), twice.err());
        assertTrue(twice.err().contains("--scales lists 1.0 twice"), twice.err());
        CliRun huge = CliRun.of("sweep", "guidance", "--n", "2000000000", "--out", dir.toString());
        assertEquals(2, huge.status(), huge.err());
        assertTrue(huge.err().contains("--n must be between 4 and 5000; got 2000000000"), huge.err());
    }
}
