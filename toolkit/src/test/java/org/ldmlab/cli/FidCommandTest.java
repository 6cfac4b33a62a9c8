package org.ldmlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    @Test
    void cellsThatAreNotFiniteNumbersAreNamedWithTheirLineInTheFile() throws IOException {
        String[][] cases = {
            {"1,2\n\n3,NaN\n5,6\n", "line 3, column 2: 'NaN' is not a finite number"},
            {"1,2\nInfinity,4\n5,6\n", "line 2, column 1: 'Infinity' is not a finite number"},
            {"1,2\n1e400,4\n5,6\n", "line 2, column 1: '1e400' is not a finite number"},
            {"1,2\n\n\n3,4\n5,x\n", "line 5, column 2: 'x' is not a number"},
            {"1.0,2.0x\n3,4\n5,6\n", "line 1, column 2: '2.0x' is not a number"}, // a typo in the first row, not a header
        };
        for (String[] c : cases) {
            Path file = Files.writeString(dir.resolve("bad.csv"), c[0]);
            CliRun run = CliRun.of("fid", "--a", file.toString(), "--b", file.toString());
            assertEquals(2, run.status(), c[1] + ": " + run.err());
            assertTrue(run.err().contains(file + " " + c[1]), c[1] + " not in: " + run.err());
        }
    }

    @Test
    void aBinaryFileOrValuesTooLargeForDoublesAreClearErrors() throws IOException {
        byte[] bytes = new byte[3000];
        new java.util.Random(1).nextBytes(bytes);
        Path binary = Files.write(dir.resolve("features.npy"), bytes);
        CliRun run = CliRun.of("fid", "--a", binary.toString(), "--b", binary.toString());
        assertEquals(2, run.status(), run.err());
        assertTrue(run.err().contains(binary + " is not a text file of comma-separated numbers"), run.err());
        Path huge = Files.writeString(dir.resolve("huge.csv"), "1e308,1\n-1e308,2\n1e308,3\n");
        CliRun overflow = CliRun.of("fid", "--a", huge.toString(), "--b", huge.toString());
        assertEquals(2, overflow.status(), overflow.out() + overflow.err());
        assertTrue(overflow.err().contains("too large for double precision"), overflow.err());
    }

    @Test
    void identicalSetsOfFewerRowsThanColumnsAreAtDistanceZeroWithANote() throws IOException {
        java.util.Random random = new java.util.Random(1);
        StringBuilder rows = new StringBuilder("f0,f1,f2,f3,f4,f5,f6,f7,f8,f9\n");
        for (int r = 0; r < 5; r++) {
            rows.append(String.join(",", java.util.stream.DoubleStream.generate(random::nextGaussian).limit(10)
                    .mapToObj(Double::toString).toList())).append('\n');
        }
        Path a = Files.writeString(dir.resolve("few.csv"), rows);
        CliRun run = CliRun.withSystemErr("fid", "--a", a.toString(), "--b", a.toString());
        assertEquals(0, run.status(), run.err());
        assertEquals("0.000000", run.out().trim());
        assertTrue(run.err().contains("note: the covariance of " + a + " is singular (5 rows of 10 features: no more rows than "
                + "features)"), run.err());
        Path b = Files.writeString(dir.resolve("b.csv"), "2\n4\n6\n");
        assertFalse(CliRun.withSystemErr("fid", "--a", b.toString(), "--b", b.toString()).err().contains("singular"));
    }
}
