package org.ldmlab.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class HtmlTableTest {
    @Test
    void significantDigitsKeepIntegerDigitsAndWriteTinyAndHugeNumbersInScientificNotation() {
        assertEquals("0.123", HtmlTable.significant(0.12345678901234567, 3));
        assertEquals("0.500", HtmlTable.significant(0.5, 3), "trailing zeros say how precise the number is");
        assertEquals("1.50", HtmlTable.significant(1.5, 3));
        assertEquals("-0.0123", HtmlTable.significant(-0.012345, 3));
        assertEquals("123", HtmlTable.significant(123.456, 3));
        assertEquals("12,346", HtmlTable.significant(12345.6, 3), "integer digits are never rounded away");
        assertEquals("10.0", HtmlTable.significant(9.996, 3), "three digits after rounding up, not four");
        assertEquals("1.19e-7", HtmlTable.significant(1.1920929e-7, 3));
        assertEquals("1.17e13", HtmlTable.significant(1.1653e13, 3));
        assertEquals("0", HtmlTable.significant(0, 3));
        assertEquals("NaN", HtmlTable.significant(Double.NaN, 3));
    }

    @Test
    void eachColumnGetsItsFormatAndTheRestTheDefaults() {
        Table table = Table.create("Property 1 & co",
                IntColumn.create("t", 9, 999),
                StringColumn.create("kind", "<bos>", "linear"),
                DoubleColumn.create("abar_t", 0.9989512348175049, 0.00004035374172963202),
                DoubleColumn.create("all right", 0.856, 0.95),
                DoubleColumn.create("FID", 12.967181573494145, 683.3264215982904),
                LongColumn.create("params", 974948, 1566480));
        String html = HtmlTable.of(table).percent(1, "all right").decimals(1, "FID").html();
        assertTrue(html.startsWith("<table>\n<caption style=\"text-align: left; white-space: nowrap\">Property 1 &amp; co</caption>"), html);
        assertTrue(html.contains("<th style=\"text-align: right\">t</th><th style=\"text-align: left\">kind</th>"), html);
        assertTrue(html.contains("<tr><td style=\"text-align: right\">9</td><td style=\"text-align: left\">&lt;bos&gt;</td>"
                + "<td style=\"text-align: right\">0.999</td><td style=\"text-align: right\">85.6%</td>"
                + "<td style=\"text-align: right\">13.0</td><td style=\"text-align: right\">974,948</td></tr>"), html);
        assertTrue(html.contains("<td style=\"text-align: right\">4.04e-5</td><td style=\"text-align: right\">95.0%</td>"
                + "<td style=\"text-align: right\">683.3</td><td style=\"text-align: right\">1,566,480</td></tr>"), html);
        assertTrue(html.endsWith("</tbody>\n</table>"), html);
        assertEquals(html, HtmlTable.of(table).percent(1, "all right").decimals(1, "FID").toString(), "a notebook shows toString()");
    }

    @Test
    void aMissingValueIsAnEmptyCellAndSignificantDigitsCanBeChosen() {
        DoubleColumn fid = DoubleColumn.create("fid", 12.967181573494145, Double.NaN);
        String html = HtmlTable.of(Table.create("t", fid)).significant(2, "fid").html();
        assertTrue(html.contains("<td style=\"text-align: right\">13</td>"), html);
        assertTrue(html.contains("<td style=\"text-align: right\"></td>"), html);
    }

    @Test
    void aFormatForAColumnThatIsNotANumberColumnOfTheTableIsRefused() {
        Table table = Table.create("t", StringColumn.create("kind", "a"), DoubleColumn.create("x", 1.0));
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class, () -> HtmlTable.of(table).decimals(2, "y"));
        assertTrue(typo.getMessage().contains("[kind, x]"), typo.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HtmlTable.of(table).percent(1, "kind"));
        assertThrows(IllegalArgumentException.class, () -> HtmlTable.of(table).decimals(2));
        assertThrows(IllegalArgumentException.class, () -> HtmlTable.of(table).decimals(-1, "x"));
        assertThrows(IllegalArgumentException.class, () -> HtmlTable.of(table).significant(0, "x"));
    }
}
