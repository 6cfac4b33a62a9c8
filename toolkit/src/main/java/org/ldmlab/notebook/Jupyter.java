package org.ldmlab.notebook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ldmlab.InvalidInputException;
import org.ldmlab.io.Processes;

/**
 * Headless Jupyter: executes a notebook with {@code jupyter nbconvert --execute} on the kernelspec the notebook
 * names (the labs name {@code java}, installed by notebooks/install-kernel) and renders it as HTML. The kernel
 * runs in the notebook's own folder, so a lab's {@code %jars ../toolkit/target/ldmlab.jar} finds the toolkit.
 */
public final class Jupyter {
    /** The kernelspec the labs use (IJava's name, so the labs also open under IJava-style kernels). */
    public static final String KERNEL = "java";
    /** How long a kernel may take to answer after its start (nbclient's default, 60 s, is tight on a loaded 2-core machine). */
    private static final Duration KERNEL_START = Duration.ofMinutes(3);

    private Jupyter() {}

    /** What is missing to execute notebooks (nbconvert, the kernelspec), or empty when everything is there. */
    public static Optional<String> missing() throws IOException, InterruptedException {
        if (!Processes.onPath("jupyter-nbconvert")) {
            return Optional.of("jupyter-nbconvert is not installed (Debian: apt-get install jupyter-nbconvert python3-nbclient)");
        }
        for (Path dataDir : dataDirectories()) {
            if (Files.isRegularFile(dataDir.resolve("kernels").resolve(KERNEL).resolve("kernel.json"))) {
                return Optional.empty();
            }
        }
        return Optional.of("the Jupyter kernelspec '" + KERNEL + "' is not installed (run notebooks/install-kernel)");
    }

    /** Jupyter's data folders, where kernelspecs live: the lines under "data:" of {@code jupyter --paths}. */
    static List<Path> dataDirectories() throws IOException, InterruptedException {
        Processes.Result paths = Processes.run(List.of("jupyter", "--paths"), Duration.ofMinutes(1));
        if (paths.status() != 0) {
            throw new IOException("`jupyter --paths` failed: " + paths.output());
        }
        return parseDataDirectories(paths.output());
    }

    static List<Path> parseDataDirectories(String jupyterPaths) {
        List<Path> dirs = new ArrayList<>();
        boolean inData = false;
        for (String line : jupyterPaths.split("\n")) {
            if (!line.startsWith(" ") && !line.isBlank()) {
                inData = line.trim().equals("data:");
            } else if (inData && !line.isBlank()) {
                dirs.add(Path.of(line.trim()));
            }
        }
        return dirs;
    }

    /**
     * Runs every cell of {@code notebook} in a fresh kernel and writes the executed copy as {@code out}; nbconvert's
     * output goes to {@code log}. Throws {@link NotebookFailure} if a cell fails or a cell runs longer than
     * {@code cellTimeout} (nbconvert then writes no notebook).
     */
    public static void execute(Path notebook, Path out, Duration cellTimeout, Path log) throws IOException, InterruptedException {
        run(List.of("jupyter", "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.timeout=" + cellTimeout.toSeconds(),
                "--ExecutePreprocessor.startup_timeout=" + KERNEL_START.toSeconds(),
                "--output-dir", out.getParent().toString(), "--output", out.getFileName().toString(), notebook.toString()),
                notebook, log);
    }

    /**
     * Renders an (executed) notebook as an HTML page {@code out}, images embedded, its equations typeset by the
     * MathJax in a {@code mathjax} folder beside it ({@link MathJax}).
     */
    public static void html(Path notebook, Path out, Path log) throws IOException, InterruptedException {
        run(List.of("jupyter", "nbconvert", "--to", "html", "--HTMLExporter.mathjax_url=" + MathJax.URL, "--output-dir", out.getParent().toString(),
                "--output", out.getFileName().toString(), notebook.toString()), notebook, log);
    }

    private static void run(List<String> command, Path notebook, Path log) throws IOException, InterruptedException {
        if (!Files.isRegularFile(notebook)) {
            throw new InvalidInputException("no notebook " + notebook + "; give an .ipynb file");
        }
        Processes.Result result = Processes.run(command, null);
        Files.writeString(log, String.join(" ", command) + "\n" + result.output(), java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        if (result.status() != 0) {
            throw new NotebookFailure(notebook.getFileName() + ": nbconvert exited with " + result.status()
                    + "; its output ends with:\n" + Processes.lastLines(result.output(), 40));
        }
    }
}
