package org.ldmlab.viz;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.NumberColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A Tablesaw table as an HTML table, each number column rounded for reading: by default integers in full with
 * thousands separators and other numbers to 3 significant digits; per column, a fixed number of decimals, a
 * number of significant digits, or fractions as percentages. In a lab its {@code toString()} is the HTML, which
 * the rapaio kernel displays as HTML when a cell ends with it: {@code HtmlTable.of(table).percent(1, "all right")}
 * (notebooks/README.md, "Writing a lab").
 */
public final class HtmlTable {
    /** Significant digits of a number column that has no format of its own. */
    public static final int DEFAULT_DIGITS = 3;
    /** Below this magnitude (and from {@link #LARGE} on) a number is written as 1.23e-5, not as a row of zeros. */
    private static final double SMALL = 1e-3;
    private static final double LARGE = 1e9;

    private final Table table;
    private final Map<String, DoubleFunction<String>> formats = new HashMap<>();

    private HtmlTable(Table table) {
        this.table = table;
    }

    public static HtmlTable of(Table table) {
        return new HtmlTable(table);
    }

    /** These columns to {@code digits} significant digits (never fewer than their integer digits). */
    public HtmlTable significant(int digits, String... columns) {
        if (digits < 1) {
            throw new IllegalArgumentException("significant digits must be at least 1, got " + digits);
        }
        return format(v -> significant(v, digits), columns);
    }

    /** These columns with {@code places} decimals. */
    public HtmlTable decimals(int places, String... columns) {
        requirePlaces(places);
        return format(v -> fixed(v, places), columns);
    }

    /** These columns hold fractions (0.25) and are shown as percentages with {@code places} decimals (25.0%). */
    public HtmlTable percent(int places, String... columns) {
        requirePlaces(places);
        return format(v -> fixed(100 * v, places) + "%", columns);
    }

    private static void requirePlaces(int places) {
        if (places < 0) {
            throw new IllegalArgumentException("decimal places must be at least 0, got " + places);
        }
    }

    private HtmlTable format(DoubleFunction<String> format, String... columns) {
        if (columns.length == 0) {
            throw new IllegalArgumentException("name the columns to format; " + table.name() + " has " + table.columnNames());
        }
        for (String name : columns) {
            if (!table.containsColumn(name) || !(table.column(name) instanceof NumberColumn<?, ?>)) {
                throw new IllegalArgumentException("no number column '" + name + "' in " + table.name() + "; its columns: " + table.columnNames());
            }
            formats.put(name, format);
        }
        return this;
    }

    /** The table as HTML: its name as the caption above it, numbers right-aligned, text left-aligned. */
    public String html() {
        StringBuilder html = new StringBuilder("<table>\n");
        if (table.name() != null && !table.name().isBlank()) {
            // a title on one line: a narrow table widens to it instead of wrapping it into a column
            html.append("<caption style=\"text-align: left; white-space: nowrap\">").append(escape(table.name())).append("</caption>\n");
        }
        html.append("<thead><tr>");
        for (Column<?> column : table.columns()) {
            html.append(cell("th", column, column.name()));
        }
        html.append("</tr></thead>\n<tbody>\n");
        for (int row = 0; row < table.rowCount(); row++) {
            html.append("<tr>");
            for (Column<?> column : table.columns()) {
                html.append(cell("td", column, text(column, row)));
            }
            html.append("</tr>\n");
        }
        return html.append("</tbody>\n</table>").toString();
    }

    /** The HTML: what a notebook shows for a cell that ends with this table. */
    @Override
    public String toString() {
        return html();
    }

    private static String cell(String tag, Column<?> column, String text) {
        String align = column instanceof NumberColumn<?, ?> ? "right" : "left";
        return "<" + tag + " style=\"text-align: " + align + "\">" + escape(text) + "</" + tag + ">";
    }

    private String text(Column<?> column, int row) {
        if (column.isMissing(row)) {
            return "";
        }
        if (!(column instanceof NumberColumn<?, ?> numbers)) {
            return column.getString(row);
        }
        double value = numbers.getDouble(row);
        DoubleFunction<String> format = formats.get(column.name());
        if (format != null) {
            return format.apply(value);
        }
        return integral(column) ? fixed(value, 0) : significant(value, DEFAULT_DIGITS);
    }

    private static boolean integral(Column<?> column) {
        ColumnType type = column.type();
        return type == ColumnType.INTEGER || type == ColumnType.LONG || type == ColumnType.SHORT;
    }

    /**
     * {@code value} to {@code digits} significant digits with thousands separators: 0.0123, 1.50, 123, 12,346
     * (integer digits are never rounded away); below 1e-3 and from 1e9 on in scientific notation, 1.19e-7.
     */
    static String significant(double value, int digits) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        if (value == 0) {
            return "0";
        }
        double magnitude = Math.abs(value);
        if (magnitude < SMALL || magnitude >= LARGE) {
            String text = String.format(Locale.ROOT, "%." + (digits - 1) + "e", value); // 1.19e-07
            return text.replaceFirst("e\\+?(-?)0*(\\d)", "e$1$2");
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(digits, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1; // of the leading digit, after rounding (9.996 -> 10.0: 1)
        int places = digits - 1 - exponent;
        return places > 0 ? String.format(Locale.ROOT, "%,." + places + "f", rounded) : fixed(value, 0);
    }

    /** {@code value} with {@code places} decimals and thousands separators. */
    static String fixed(double value, int places) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%,." + places + "f", value) : Double.toString(value);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
