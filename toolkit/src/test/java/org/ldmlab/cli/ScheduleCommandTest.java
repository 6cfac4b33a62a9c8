package org.ldmlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldmlab.schedule.NoiseSchedule;
import org.ldmlab.schedule.Posterior;

class ScheduleCommandTest {
    private static final String HEADER = "t,beta,alpha,abar,sqrt_abar,sqrt_one_minus_abar,posterior_variance,"
            + "posterior_log_variance_clipped,posterior_mean_coef_x0,posterior_mean_coef_xt,snr";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... argv) {
        return new Main().run(argv, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void writesOneRowPerTimestepWithTheScheduleValues() throws IOException {
        Path csv = dir.resolve("cosine.csv");
        assertEquals(0, run("schedule", "--kind", "cosine", "--steps", "50", "--out", csv.toString()), err.toString());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(HEADER, lines.get(0));
        assertEquals(51, lines.size());
        NoiseSchedule s = NoiseSchedule.of("cosine", 50);
        Posterior p = new Posterior(s);
        List<IntToDoubleFunction> columns = List.of(s::beta, s::alpha, s::alphaBar, s::sqrtAlphaBar, s::sqrtOneMinusAlphaBar,
                p::variance, p::logVarianceClipped, p::meanCoefX0, p::meanCoefXt, s::snr);
        for (int t = 0; t < 50; t++) {
            String[] cells = lines.get(t + 1).split(",");
            assertEquals(11, cells.length);
            assertEquals(t, Integer.parseInt(cells[0]));
            for (int c = 0; c < columns.size(); c++) {
                double expected = columns.get(c).applyAsDouble(t);
                assertEquals(expected, Double.parseDouble(cells[c + 1]), 1e-12 * Math.abs(expected), "t = " + t + ", column " + (c + 1));
            }
        }
        assertTrue(out.toString().contains("cosine") && out.toString().contains("T = 50"), out.toString());
        assertTrue(out.toString().contains(String.format("%.6g", s.alphaBar(49))), out.toString());
    }

    @Test
    void defaultsToTheDdpmLinearScheduleWithAThousandSteps() throws IOException {
        Path csv = dir.resolve("nested/linear.csv");
        assertEquals(0, run("schedule", "--out", csv.toString()), err.toString());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(1001, lines.size());
        assertEquals(1e-4, Double.parseDouble(lines.get(1).split(",")[1]), 1e-15);
        assertEquals(0.02, Double.parseDouble(lines.get(1000).split(",")[1]), 1e-15);
    }

    @Test
    void badInputExitsTwoNamingTheProblemAndWritesNothing() throws IOException {
        Path blocker = Files.writeString(dir.resolve("a-file"), "not a folder");
        Path folder = Files.createDirectory(dir.resolve("a-folder"));
        String target = dir.resolve("out.csv").toString();
        assertRejected("unknown schedule kind 'quadratic'; valid kinds: linear, scaled_linear, cosine",
                "--kind", "quadratic", "--out", target);
        assertRejected("--steps must be between 2 and 100000; got 1", "--steps", "1", "--out", target);
        assertRejected("--steps must be between 2 and 100000; got 2147483647", "--steps", "2147483647", "--out", target);
        assertRejected("--steps needs a whole number, got 'many'", "--steps", "many", "--out", target);
        assertRejected("a-file is a file, not a folder", "--out", blocker.resolve("x.csv").toString());
        assertRejected("it is a folder", "--out", folder.toString());
        assertRejected("missing --out", "--kind", "cosine");
        assertRejected("unknown option --step", "--step", "10", "--out", target);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(blocker, folder), files.sorted().toList());
        }
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(0, files.count());
        }
    }

    private void assertRejected(String message, String... options) {
        err.reset();
        String[] argv = Stream.concat(Stream.of("schedule"), Stream.of(options)).toArray(String[]::new);
        assertEquals(2, run(argv), String.join(" ", argv));
        assertTrue(err.toString().contains(message), "expected '" + message + "' in: " + err);
    }
}
