package org.ldmlab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldmlab.InvalidInputException;

class LabTest {
    private static final Path LABS = Path.of("notebooks");

    @Test
    void readsTheDeclaredFigureCount(@TempDir Path dir) throws IOException {
        Path nb = Files.writeString(dir.resolve("07-x.ipynb"), "{\"metadata\": {\"ldmlab\": {\n  \"figures\": 12\n }}, \"cells\": []}");
        Lab lab = Lab.read(nb);
        assertEquals(12, lab.figures());
        assertEquals("07-x", lab.name());
    }

    @Test
    void aNotebookWithoutAFigureCountIsAClearError(@TempDir Path dir) throws IOException {
        Path nb = Files.writeString(dir.resolve("01-x.ipynb"), "{\"metadata\": {}, \"cells\": []}");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Lab.read(nb));
        assertTrue(e.getMessage().contains("\"figures\": N"), e.getMessage());
    }

    @Test
    void findsOnlyNumberedNotebooksInOrder(@TempDir Path dir) throws IOException {
        String body = "{\"metadata\": {\"ldmlab\": {\"figures\": 1}}}";
        for (String name : List.of("02-b.ipynb", "01-a.ipynb", "scratch.ipynb", "03-c.txt")) {
            Files.writeString(dir.resolve(name), body);
        }
        assertEquals(List.of("01-a", "02-b"), Lab.in(dir).stream().map(Lab::name).toList());
        assertThrows(InvalidInputException.class, () -> Lab.in(dir.resolve("missing")));
    }

    /**
     * The labs are committed without outputs, use the kernelspec "java", declare the figures the browser check expects, and
     * show tables as HTML (viz.HtmlTable), each as the last expression of a cell.
     */
    @Test
    void theCommittedLabsAreCleanAndDeclareTheirFigures() throws IOException {
        List<Lab> labs = Lab.in(LABS);
        assertEquals(List.of("01", "02", "03", "04", "05", "06", "07", "08", "09", "10"), labs.stream().map(l -> l.name().substring(0, 2)).toList(),
                "the labs, numbered without gaps: " + labs);
        for (Lab lab : labs) {
            String json = Files.readString(lab.notebook());
            assertTrue(lab.figures() >= 1, lab.name());
            assertFalse(json.contains("\"output_type\""), lab.name() + " is committed with outputs; clear them");
            assertFalse(json.matches("(?s).*\"execution_count\": [0-9].*"), lab.name() + " is committed with execution counts");
            assertTrue(json.contains("\"name\": \"java\""), lab.name() + " must use the kernelspec 'java'");
            assertTrue(json.contains("%jars ../toolkit/target/ldmlab.jar"), lab.name() + " must load the toolkit with one %jars line");
            assertFalse(json.contains(".print()"), lab.name() + " prints a table as text; end a cell with HtmlTable.of(table) instead");
            assertFalse(json.contains("display("), lab.name() + " calls display(), which a lab's imports hide from the kernel; "
                    + "end a cell with the table or figure instead");
        }
    }
}
