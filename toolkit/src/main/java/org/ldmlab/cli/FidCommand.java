package org.ldmlab.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ldmlab.InvalidInputException;
import org.ldmlab.metrics.FrechetDistance;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code ldmlab fid --a a.csv --b b.csv}: the Frechet distance between two CSV files of feature rows, so anyone
 * can check the formula against their own tools (e.g. features saved with numpy.savetxt(..., delimiter=",")).
 */
final class FidCommand implements Command {
    @Override
    public String name() {
        return "fid";
    }

    @Override
    public String summary() {
        return "Frechet distance between two CSV files of feature rows";
    }

    @Override
    public String usage() {
        return """
                ldmlab fid --a A.csv --b B.csv
                  one sample per row, one feature per column, comma-separated; a first line of column names is skipped""";
    }

    @Override
    public int run(Args args, PrintStream out) throws IOException {
        Path a = Path.of(args.required("a", "the first CSV file of features"));
        Path b = Path.of(args.required("b", "the second CSV file of features"));
        args.requireAllUsed();
        out.printf("%.6f%n", FrechetDistance.between(read(a), read(b)));
        return 0;
    }

    /** Rows of numbers; a first line that is not numbers (a header) is skipped. */
    static INDArray read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("no file " + file);
        }
        List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            double[] row = new double[cells.length];
            try {
                for (int j = 0; j < cells.length; j++) {
                    row[j] = Double.parseDouble(cells[j].trim());
                }
            } catch (NumberFormatException e) {
                if (i == 0) {
                    continue; // a header
                }
                throw new InvalidInputException(file + " line " + (i + 1) + ": not a number in \"" + lines.get(i) + "\"");
            }
            if (!rows.isEmpty() && row.length != rows.get(0).length) {
                throw new InvalidInputException(file + " line " + (i + 1) + " has " + row.length + " columns, the first row "
                        + rows.get(0).length);
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new InvalidInputException(file + " has no rows of numbers");
        }
        return Nd4j.createFromArray(rows.toArray(double[][]::new)); // DOUBLE
    }
}
