package org.ldmlab.metrics;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ldmlab.InvalidInputException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A CSV file of feature rows, one sample per line and one feature per comma-separated cell, as
 * {@code numpy.savetxt(path, features, delimiter=",")} writes them. Blank lines are skipped (errors still give the
 * line's number in the file). A first line is a header only when none of its cells is a number, so a data row with a
 * typo is reported as one rather than dropped. Every cell must be a finite number.
 */
public final class FeatureCsv {
    private FeatureCsv() {}

    /** The rows of {@code file} as [N, D] doubles. */
    public static INDArray read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("no file " + file);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(file + " is not a text file of comma-separated numbers");
        }
        List<double[]> rows = new ArrayList<>();
        boolean first = true;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] cells = lines.get(i).split(",", -1);
            if (first && isHeader(cells)) {
                first = false;
                continue;
            }
            first = false;
            double[] row = parse(file, i + 1, cells);
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

    /** Column names: not one cell reads as a number. */
    private static boolean isHeader(String[] cells) {
        for (String cell : cells) {
            try {
                Double.parseDouble(cell.trim());
                return false;
            } catch (NumberFormatException e) {
                // a name
            }
        }
        return true;
    }

    private static double[] parse(Path file, int line, String[] cells) {
        double[] row = new double[cells.length];
        for (int j = 0; j < cells.length; j++) {
            String where = file + " line " + line + ", column " + (j + 1) + ": ";
            try {
                row[j] = Double.parseDouble(cells[j].trim());
            } catch (NumberFormatException e) {
                throw new InvalidInputException(where + "'" + cells[j].trim() + "' is not a number");
            }
            if (!Double.isFinite(row[j])) { // NaN, Infinity, or too large for a double (1e400)
                throw new InvalidInputException(where + "'" + cells[j].trim() + "' is not a finite number");
            }
        }
        return row;
    }
}
