package org.ldmlab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Another JVM running a class of the toolkit (or of the tests) on the tests' class path: for what needs a process of
 * its own, such as a real SIGTERM, a kill -9 or a lock held by another process.
 */
public final class JavaProcess {
    private JavaProcess() {}

    /** The command line that runs {@code main} with {@code args}, in the repository (the tests' working folder). */
    public static List<String> command(Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-Xmx512m", "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** Starts {@code main}; its output goes to {@code log}. */
    public static Process start(Class<?> main, Path log, String... args) throws IOException {
        return new ProcessBuilder(command(main, args)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits until {@code condition} holds, at most {@code limit}; false if it never did. */
    public static boolean await(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }

    /** The file's text, or "" while it does not exist. */
    public static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
