package org.ldmlab.notebook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.ldmlab.InvalidInputException;

/**
 * One lab notebook and the number of figures it declares in its metadata ({@code "ldmlab": {"figures": N}}):
 * the browser check expects that many non-blank images on its HTML render.
 */
public record Lab(Path notebook, int figures) {
    private static final Pattern DECLARED = Pattern.compile("\"ldmlab\"\\s*:\\s*\\{\\s*\"figures\"\\s*:\\s*(\\d+)");

    /** The name without {@code .ipynb}, e.g. {@code 01-forward-noising}. */
    public String name() {
        String file = notebook.getFileName().toString();
        return file.substring(0, file.length() - ".ipynb".length());
    }

    public static Lab read(Path notebook) throws IOException {
        Matcher m = DECLARED.matcher(Files.readString(notebook));
        if (!m.find()) {
            throw new InvalidInputException(notebook + " declares no figure count; add {\"ldmlab\": {\"figures\": N}} to its metadata");
        }
        return new Lab(notebook, Integer.parseInt(m.group(1)));
    }

    /** The labs in {@code folder}: every {@code NN-*.ipynb}, in name order. */
    public static List<Lab> in(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new InvalidInputException("no notebooks folder " + folder + "; give the folder that holds the .ipynb files");
        }
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> notebooks = files.filter(p -> p.getFileName().toString().matches("\\d\\d-.*\\.ipynb")).sorted().toList();
            if (notebooks.isEmpty()) {
                throw new InvalidInputException("no lab notebooks (NN-name.ipynb) in " + folder);
            }
            List<Lab> labs = new java.util.ArrayList<>();
            for (Path p : notebooks) {
                labs.add(read(p));
            }
            return labs;
        }
    }
}
