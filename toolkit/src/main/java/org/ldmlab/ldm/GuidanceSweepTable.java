package org.ldmlab.ldm;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.ldmlab.InvalidInputException;
import org.ldmlab.data.Scene;
import org.ldmlab.io.FileDigest;
import org.ldmlab.metrics.Adherence;
import org.ldmlab.metrics.Adherence.Measure;
import org.ldmlab.metrics.Evaluation;
import org.ldmlab.metrics.Proportion;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * The {@link GuidanceSweep}'s table, one row per guidance scale, as guidance_sweep.csv keeps it so that an interrupted
 * sweep resumes. Each row records the run that made it (samples, steps, seed, and the model and classifier by name
 * and SHA-256), and a sweep resumes only rows of its own run: the numbers of another model are never shown as this
 * one's. Every number of a row is finite, except what its samples cannot give (diversity with no caption asked twice,
 * the adherence of a group with no image), which is left empty; a row of a model that sampled NaN is never written.
 */
public final class GuidanceSweepTable {
    /** A model file as a row records it: the name it was given by (a path, or "shipped ldm"), and its content's SHA-256. */
    public record ModelFile(String name, String sha256) {
        public static ModelFile of(String name, Path file) {
            return new ModelFile(name, FileDigest.sha256(file));
        }

        @Override
        public String toString() {
            return name + " (sha256 " + sha256.substring(0, Math.min(12, sha256.length())) + "...)";
        }
    }

    /** What a row was made with. */
    public record Run(int samples, int steps, long seed, ModelFile model, ModelFile classifier) {}

    /** Adherence columns: a prefix and the images it counts (all, single-object, two-object). */
    private static final List<String> GROUPS = List.of("", "one_object_", "two_objects_");
    private static final List<Predicate<Scene>> GROUP_SCENES = List.of(s -> true, s -> s.objects().size() == 1,
            s -> s.objects().size() == 2);
    private static final Map<String, ColumnType> COLUMNS = columnTypes();

    private GuidanceSweepTable() {}

    /** The table's columns, in order. */
    public static List<String> columns() {
        return List.copyOf(COLUMNS.keySet());
    }

    private static Map<String, ColumnType> columnTypes() {
        Map<String, ColumnType> types = new LinkedHashMap<>();
        types.put("scale", ColumnType.DOUBLE);
        types.put("samples", ColumnType.INTEGER);
        for (String name : List.of("fid", "precision", "recall", "inception_score")) {
            types.put(name, ColumnType.DOUBLE);
        }
        for (int g = 0; g < GROUPS.size(); g++) {
            for (Measure m : g == 0 ? List.of(Measure.values()) : List.of(Measure.ALL_RIGHT)) {
                String name = GROUPS.get(g) + m.label();
                for (String column : List.of(name, name + "_low", name + "_high")) {
                    types.put(column, ColumnType.DOUBLE);
                }
            }
        }
        types.put("diversity", ColumnType.DOUBLE);
        types.put("seconds", ColumnType.DOUBLE);
        types.put("steps", ColumnType.INTEGER);
        types.put("seed", ColumnType.STRING); // as text: a LongColumn takes Long.MIN_VALUE, a valid seed, for "missing"
        for (String name : List.of("model", "model_sha256", "classifier", "classifier_sha256")) {
            types.put(name, ColumnType.STRING);
        }
        return types;
    }

    /** Whether a missing value is a row's answer rather than a fault: see the class comment. */
    private static boolean mayBeMissing(String column) {
        return column.equals("diversity") || column.startsWith(GROUPS.get(1)) || column.startsWith(GROUPS.get(2));
    }

    /** A new, empty table. */
    public static Table empty() {
        Table t = Table.create("guidance sweep");
        COLUMNS.forEach((name, type) -> t.addColumns(type.create(name)));
        return t;
    }

    /**
     * The table of an earlier run of {@code run} at {@code csv}, or a new empty one when there is no file. A file that
     * is not such a table, a row that is not whole and a row of another run are refused, saying how to start over.
     */
    public static Table resume(Path csv, Run run) throws IOException {
        if (!Files.exists(csv)) {
            return empty();
        }
        if (!Files.isRegularFile(csv)) {
            throw cannotResume(csv, "it is not a file");
        }
        String header;
        try (BufferedReader in = Files.newBufferedReader(csv)) {
            header = in.readLine();
        } catch (CharacterCodingException e) {
            throw cannotResume(csv, "it is not a text file");
        }
        if (!String.join(",", columns()).equals(header)) {
            throw cannotResume(csv, "it is not a table of this sweep's columns (an older version's, or another file)");
        }
        Table table;
        try {
            table = Table.read().usingOptions(CsvReadOptions.builder(csv.toFile())
                    .columnTypes(COLUMNS.values().toArray(ColumnType[]::new))); // not inferred: 1, 3 would read as integers
        } catch (RuntimeException e) { // Tablesaw's parse errors: a cell that is not a number, a row of more cells
            throw cannotResume(csv, e.getMessage());
        }
        List<Double> scales = new ArrayList<>();
        for (Row row : table) {
            String where = "row " + (row.getRowNumber() + 1);
            for (String column : columns()) {
                String fault = fault(row, column);
                if (fault != null) {
                    throw cannotResume(csv, where + ": " + column + " " + fault);
                }
            }
            double scale = row.getDouble("scale");
            if (scales.contains(scale)) {
                throw cannotResume(csv, where + " repeats scale " + scale);
            }
            scales.add(scale);
            String other = differences(row, run);
            if (!other.isEmpty()) {
                throw new InvalidInputException(csv + " holds a sweep with other settings (" + other + "); use another --out or "
                        + "delete it to start over");
            }
        }
        return table.setName("guidance sweep");
    }

    /** What is wrong with one cell, or null. */
    private static String fault(Row row, String column) {
        boolean missing = row.isMissing(column);
        if (COLUMNS.get(column) != ColumnType.DOUBLE) {
            return missing ? "is missing" : null;
        }
        double v = row.getDouble(column);
        if (Double.isInfinite(v) || (missing && !mayBeMissing(column))) {
            return "is " + (missing ? "missing or NaN" : v);
        }
        return null;
    }

    /** How {@code row} was made otherwise than {@code run}; empty when it was not. */
    private static String differences(Row row, Run run) {
        List<String> other = new ArrayList<>();
        if (row.getInt("samples") != run.samples()) {
            other.add("samples " + row.getInt("samples") + ", not " + run.samples());
        }
        if (row.getInt("steps") != run.steps()) {
            other.add("steps " + row.getInt("steps") + ", not " + run.steps());
        }
        if (!row.getString("seed").equals(Long.toString(run.seed()))) {
            other.add("seed " + row.getString("seed") + ", not " + run.seed());
        }
        for (String kind : List.of("model", "classifier")) {
            ModelFile was = new ModelFile(row.getString(kind), row.getString(kind + "_sha256"));
            ModelFile now = kind.equals("model") ? run.model() : run.classifier();
            if (!was.sha256().equals(now.sha256())) {
                other.add(kind + " " + was + ", not " + now);
            }
        }
        return String.join("; ", other);
    }

    private static InvalidInputException cannotResume(Path csv, String reason) {
        return new InvalidInputException(csv + " cannot be resumed: " + reason + "; delete it or use another --out");
    }

    /** Whether the table has a row of {@code scale}. */
    public static boolean has(Table table, double scale) {
        return table.doubleColumn("scale").asList().stream().anyMatch(s -> Math.abs(s - scale) < 1e-9);
    }

    /** Adds one scale's numbers; refuses a row with a number that is not finite (it would be resumed and plotted). */
    public static void append(Table table, GuidanceSweep.Result r, Run run) {
        Evaluation.Result s = r.scores();
        Map<String, Double> numbers = new LinkedHashMap<>();
        numbers.put("scale", r.scale());
        numbers.put("fid", s.fid());
        numbers.put("precision", s.precisionRecall().precision());
        numbers.put("recall", s.precisionRecall().recall());
        numbers.put("inception_score", s.inceptionScore());
        for (int g = 0; g < GROUPS.size(); g++) {
            Adherence adherence = s.adherence(GROUP_SCENES.get(g));
            for (Measure m : g == 0 ? List.of(Measure.values()) : List.of(Measure.ALL_RIGHT)) {
                Proportion p = adherence.of(m);
                double[] ci = p.interval95();
                String name = GROUPS.get(g) + m.label();
                numbers.put(name, p.value());
                numbers.put(name + "_low", ci[0]);
                numbers.put(name + "_high", ci[1]);
            }
        }
        numbers.put("diversity", s.diversity());
        numbers.put("seconds", r.seconds());
        numbers.forEach((column, v) -> {
            if (Double.isInfinite(v) || (Double.isNaN(v) && !mayBeMissing(column))) {
                throw new InvalidInputException("scale " + r.scale() + ": " + column + " is " + v + "; its row is not written");
            }
        });
        numbers.forEach((column, v) -> table.doubleColumn(column).append(v));
        table.intColumn("samples").append(run.samples());
        table.intColumn("steps").append(run.steps());
        table.stringColumn("seed").append(Long.toString(run.seed()));
        table.stringColumn("model").append(run.model().name());
        table.stringColumn("model_sha256").append(run.model().sha256());
        table.stringColumn("classifier").append(run.classifier().name());
        table.stringColumn("classifier_sha256").append(run.classifier().sha256());
    }
}
