package org.ldmlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Bad input to `ldmlab notebooks` (the labs themselves run from ./run-tests, which needs Jupyter). */
class NotebooksCommandTest {
    @Test
    void listsTheLabsAndWhatIsInstalled() {
        CliRun run = CliRun.of("notebooks");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("01-forward-noising"), run.out());
        assertTrue(run.out().contains("05-guidance-sweep"), run.out());
        assertTrue(run.out().contains("jupyter: "), run.out());
    }

    @Test
    void anUnknownLabNamesTheLabs() {
        CliRun run = CliRun.of("notebooks", "--execute", "--only", "nosuchlab");
        assertEquals(2, run.status());
        assertTrue(run.err().contains("no lab's name contains 'nosuchlab'; labs: 01-forward-noising"), run.err());
    }

    @Test
    void flagsThatImplyOneAnotherCanAllBeGiven() {
        CliRun run = CliRun.of("notebooks", "--execute", "--html", "--check", "--only", "nosuchlab");
        assertEquals(2, run.status());
        assertTrue(run.err().contains("no lab's name contains 'nosuchlab'"), run.err()); // not "unknown option --html"
    }

    @Test
    void aCellTimeoutBelowOneSecondIsRejected() {
        CliRun run = CliRun.of("notebooks", "--execute", "--cell-timeout", "0");
        assertEquals(2, run.status());
        assertTrue(run.err().contains("--cell-timeout must be at least 1 second"), run.err());
    }
}
