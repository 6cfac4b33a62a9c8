package org.ldmlab.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PeakMemoryTest {
    @Test
    void readsTheHighWaterMarkInMegabytes() {
        List<String> status = List.of("Name:\tjava", "VmPeak:\t 9000000 kB", "VmHWM:\t  2516582 kB", "VmRSS:\t  1000000 kB");
        assertEquals(Optional.of(2457L), PeakMemory.fromStatus(status)); // 2,516,582 kB / 1024
        assertEquals("peak resident memory 2,457 MB", PeakMemory.describe(2457));
    }

    @Test
    void noReadingWithoutTheField() {
        assertEquals(Optional.empty(), PeakMemory.fromStatus(List.of("Name:\tjava", "VmRSS:\t 1000 kB")));
        assertEquals(Optional.empty(), PeakMemory.fromStatus(List.of("VmHWM:\t 1000 pages")));
        assertEquals(Optional.empty(), PeakMemory.fromStatus(List.of()));
    }

    @Test
    void printsOneLineOrNothing() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PeakMemory.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String printed = bytes.toString(StandardCharsets.UTF_8);
        // on Linux the line; elsewhere nothing, and no failure
        assertTrue(printed.isEmpty() == PeakMemory.megabytes().isEmpty(), printed);
        assertTrue(printed.isEmpty() || printed.matches("peak resident memory [0-9,]+ MB\\R"), printed);
    }
}
