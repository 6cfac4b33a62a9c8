package org.ldmlab.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    @Test
    void logModePrintsTheFinalLineWithCountAndStatus() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (ProgressBar bar = new ProgressBar("render", 3, new PrintStream(buf, true), false)) {
            bar.step();
            bar.step();
            bar.step("loss=0.123");
        }
        String text = buf.toString();
        String last = text.lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("render [########################] 3/3"), last);
        assertTrue(last.contains("ETA 0:00:00") && last.endsWith("loss=0.123"), last);
        assertEquals(text.lines().count(), 2, "first step and last step only (no 5 s passed): " + text);
    }

    @Test
    void resumedBarCountsFromWhereItStopped() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar("train", 10, new PrintStream(buf, true), false).resumeAt(7);
        bar.step();
        assertTrue(buf.toString().contains(" 8/10 "), buf.toString());
        assertTrue(bar.line("", System.nanoTime() + 1_000_000_000L).contains(" 1.0/s "),
                "the rate counts this run's step only: " + bar.line("", System.nanoTime() + 1_000_000_000L));
    }
}
