package org.ldmlab.io;

import java.io.PrintStream;
import java.time.Duration;

/**
 * A progress bar for long work: step, rate, ETA and a free-form status (e.g. the loss).
 * On a terminal it redraws one line; in a log (CI, notebooks) it prints a line every few seconds.
 */
public final class ProgressBar implements AutoCloseable {
    private static final long LOG_INTERVAL_NANOS = 5_000_000_000L;
    private static final int WIDTH = 24;

    private final String label;
    private final long total;
    private final PrintStream err;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private long done;
    private long doneAtStart;
    private long lastPrint;

    public ProgressBar(String label, long total, PrintStream err) {
        this(label, total, err, System.console() != null);
    }

    ProgressBar(String label, long total, PrintStream err, boolean terminal) {
        this.label = label;
        this.total = Math.max(1, total);
        this.err = err;
        this.terminal = terminal;
    }

    /** Starts counting from {@code alreadyDone} (a resumed run). */
    public ProgressBar resumeAt(long alreadyDone) {
        this.done = alreadyDone;
        this.doneAtStart = alreadyDone;
        return this;
    }

    public void step() {
        step("");
    }

    public void step(String status) {
        done++;
        long now = System.nanoTime();
        boolean last = done >= total;
        if (terminal || last || now - lastPrint >= LOG_INTERVAL_NANOS) {
            lastPrint = now;
            err.print((terminal ? "\r" : "") + line(status, now) + (terminal && !last ? "" : "\n"));
            err.flush();
        }
    }

    String line(String status, long now) {
        double seconds = (now - start) / 1e9;
        double rate = (done - doneAtStart) / Math.max(seconds, 1e-9); // this run's speed, not the resumed steps
        int filled = (int) (WIDTH * Math.min(1.0, done / (double) total));
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        long remaining = Math.round((total - done) / Math.max(rate, 1e-9));
        return String.format("%s [%s] %d/%d %.1f/s ETA %s%s", label, bar, done, total, rate,
                format(Duration.ofSeconds(done >= total ? 0 : remaining)), status.isEmpty() ? "" : " " + status);
    }

    private static String format(Duration d) {
        return String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }

    @Override
    public void close() {
        if (terminal && done < total) {
            err.println();
        }
    }
}
