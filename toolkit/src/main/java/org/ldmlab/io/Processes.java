package org.ldmlab.io;

import java.io.File;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/** External programs (Jupyter, Chromium): found on the PATH, run to completion with their output kept, never left running. */
public final class Processes {
    /** How long to wait for a killed program to be gone. */
    private static final long STOP_SECONDS = 5;

    private Processes() {}

    /** The exit status and the merged stdout and stderr of a finished program. */
    public record Result(int status, String output) {}

    public static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && List.of(path.split(File.pathSeparator)).stream()
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    /**
     * Runs {@code command} and waits for it, at most {@code limit} (null: no limit); the output is read as it comes.
     * However this ends (a timeout, an interrupt, Ctrl-C or SIGTERM of this JVM), nothing the program started is left
     * running: a Jupyter kernel, say, outlives nbconvert unless it is stopped too.
     */
    public static Result run(List<String> command, Duration limit) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        AtomicReference<Process> started = new AtomicReference<>(); // registered before the start, so no moment is unguarded
        Thread stopOnExit = new Thread(() -> stopTree(started.get()), "ldmlab-stop-" + command.get(0));
        try {
            Runtime.getRuntime().addShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) { // nothing would stop it: do not start it
            throw new InterruptedIOException("not starting " + command.get(0) + ": the program is shutting down");
        }
        try {
            started.set(builder.start());
            return await(started.get(), command, limit);
        } finally {
            stopTree(started.get());
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook is stopping the program as well
            }
        }
    }

    private static Result await(Process process, List<String> command, Duration limit) throws IOException, InterruptedException {
        process.getOutputStream().close();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                output.append("(could not read the output: ").append(e).append(")");
            }
        });
        reader.start();
        if (limit == null) {
            process.waitFor();
        } else if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            stopTree(process); // a child holding the pipe would block the reader
            reader.join();
            throw new IOException(command.get(0) + " did not finish within " + limit.toSeconds() + " s; output:\n" + lastLines(output.toString(), 20));
        }
        reader.join();
        return new Result(process.exitValue(), output.toString());
    }

    /**
     * Kills {@code process} and everything it started, and waits for them to end. The program goes first, so that it
     * cannot start a replacement for a child (nbconvert restarts a dead kernel); its children are found before, since
     * once it is gone they belong to init.
     */
    private static void stopTree(Process process) {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(0, process.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(STOP_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // as good as it gets: it was sent SIGKILL
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public static String lastLines(String text, int n) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }
}
