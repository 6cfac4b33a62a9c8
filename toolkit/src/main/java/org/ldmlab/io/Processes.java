package org.ldmlab.io;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** External programs (Jupyter, Chromium): found on the PATH, run to completion with their output kept. */
public final class Processes {
    private Processes() {}

    /** The exit status and the merged stdout and stderr of a finished program. */
    public record Result(int status, String output) {}

    public static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && List.of(path.split(File.pathSeparator)).stream()
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    /** Runs {@code command} and waits for it, at most {@code limit} (null: no limit); the output is read as it comes. */
    public static Result run(List<String> command, Duration limit) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
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
        try {
            if (limit == null) {
                process.waitFor();
            } else if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly); // a child holding the pipe would block the reader
                process.destroyForcibly().waitFor();
                reader.join();
                throw new IOException(command.get(0) + " did not finish within " + limit.toSeconds() + " s; output:\n" + lastLines(output.toString(), 20));
            }
            reader.join();
            return new Result(process.exitValue(), output.toString());
        } finally {
            process.destroyForcibly();
        }
    }

    public static String lastLines(String text, int n) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }
}
