package org.ldmlab.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs one {@code ldmlab} command line in-process and keeps what it printed, for tests. */
public record CliRun(int status, String out, String err) {
    public static CliRun of(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Main().run(argv, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * As {@link #of}, with what the command writes to System.err itself (progress bars, warnings) in {@link #err}
     * as well: a progress bar there shows that long work was done.
     */
    public static synchronized CliRun withSystemErr(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream systemErr = System.err;
        System.setErr(errStream);
        try {
            int status = new Main().run(argv, new PrintStream(out, true, StandardCharsets.UTF_8), errStream);
            return new CliRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(systemErr);
        }
    }
}
