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
    void aReasonDoesNotEchoAThousandsOfCharactersLongArgument() {
        // a pasted path of 5,000 characters came back in full: a "one-line" reason of 5 KB
        String huge = "x".repeat(5000);
        CliRun[] runs = {CliRun.of("fid", "--a", huge, "--b", "b.csv"), CliRun.of("notebooks", "--only", huge)};
        for (CliRun r : runs) {
            assertEquals(2, r.status(), r.err());
            String reason = r.err().lines().findFirst().orElse("");
            assertTrue(reason.length() < 300 && reason.contains("xxxx... (5000 characters)"), reason);
        }
    }

    @Test
    void infoNamesTheBackend() {
        CliRun r = CliRun.of("info");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("nd4j backend") && r.out().contains("java"), r.out());
    }
}
