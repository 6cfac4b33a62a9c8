package org.ldmlab.io;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The peak resident memory of this process: VmHWM ("high water mark") of {@code /proc/self/status} (Linux, proc(5)).
 * It counts everything the process touched, ND4J's tensors outside the Java heap included, which the JVM's own
 * counters do not. Where there is no such file (not Linux), there is no reading and nothing is printed.
 */
public final class PeakMemory {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final String FIELD = "VmHWM:";

    private PeakMemory() {}

    /** Prints "peak resident memory N MB" to {@code out}, or nothing where it cannot be read. */
    public static void print(PrintStream out) {
        megabytes().ifPresent(mb -> out.println(describe(mb)));
    }

    /** This process's peak resident memory in MB (2^20 bytes), if the system says. */
    public static Optional<Long> megabytes() {
        try {
            return Files.isReadable(STATUS) ? fromStatus(Files.readAllLines(STATUS)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The VmHWM line of a status file ("VmHWM:   123456 kB") in MB; empty if absent or not in kB. */
    static Optional<Long> fromStatus(List<String> statusLines) {
        return statusLines.stream().filter(l -> l.startsWith(FIELD)).findFirst().flatMap(l -> {
            String[] words = l.substring(FIELD.length()).trim().split("\\s+");
            if (words.length != 2 || !words[1].equals("kB") || !words[0].matches("\\d+")) {
                return Optional.empty();
            }
            return Optional.of(Long.parseLong(words[0]) / 1024);
        });
    }

    static String describe(long megabytes) {
        return String.format("peak resident memory %,d MB", megabytes);
    }
}
