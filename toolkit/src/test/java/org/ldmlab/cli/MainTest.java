package org.ldmlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void helpListsCommands() {
        CliRun r = CliRun.of("help");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("info"), r.out());
    }

    @Test
    void unknownCommandExitsTwoAndListsCommands() {
        CliRun r = CliRun.of("smaple");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("unknown command 'smaple'") && r.err().contains("info"), r.err());
    }

    @Test
    void unknownOptionExitsTwoWithUsage() {
        CliRun r = CliRun.of("info", "--verbose");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--verbose") && r.err().contains("usage:"), r.err());
    }

    @Test
    void infoNamesTheBackend() {
        CliRun r = CliRun.of("info");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("nd4j backend") && r.out().contains("java"), r.out());
    }
}
