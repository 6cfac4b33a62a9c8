package org.ldmlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FidCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsTheDistanceOfTwoCsvFilesWithOrWithoutAHeader() throws IOException {
        // two 1-D samples: {0, 2} (mean 1, variance 2) and {2, 4, 6} (mean 4, variance 4):
        // d^2 = (1 - 4)^2 + (sqrt 2 - 2)^2 = 9 + 6 - 4 sqrt 2
        Path a = Files.writeString(dir.resolve("a.csv"), "f0\n0\n2\n");
        Path b = Files.writeString(dir.resolve("b.csv"), "2\n4\n6\n");
        CliRun run = CliRun.of("fid", "--a", a.toString(), "--b", b.toString());
        assertEquals(0, run.status(), run.err());
        assertEquals(15 - 4 * Math.sqrt(2), Double.parseDouble(run.out().trim()), 1e-6);
    }

    @Test
    void badFilesAreClearErrors() throws IOException {
        Path ragged = Files.writeString(dir.resolve("r.csv"), "1,2\n3\n");
        Path text = Files.writeString(dir.resolve("t.csv"), "1,2\nx,y\n");
        assertTrue(CliRun.of("fid", "--a", ragged.toString(), "--b", ragged.toString()).err().contains("columns"));
        assertTrue(CliRun.of("fid", "--a", text.toString(), "--b", text.toString()).err().contains("not a number"));
        CliRun missing = CliRun.of("fid", "--a", dir.resolve("none.csv").toString(), "--b", text.toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("no file"), missing.err());
    }
}
