package org.ldmlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldmlab.ldm.Models;

/** {@code ldmlab train classifier} reports its accuracy, and its export loads as a classifier. */
class TrainClassifierTest {
    @TempDir
    Path dir;

    @Test
    void trainsReportsAccuracyAndExports() {
        CliRun train = CliRun.of("train", "classifier", "--steps", "2", "--batch", "4", "--out", dir.toString());
        assertEquals(0, train.status(), train.err());
        assertTrue(train.out().contains("accuracy on 1000 test images") && train.out().contains("position"), train.out());
        Path exported = dir.resolve("classifier-export.zip");
        CliRun export = CliRun.of("export", "--model", dir.resolve("classifier.zip").toString(), "--kind", "classifier",
                "--out", exported.toString());
        assertEquals(0, export.status(), export.err());
        assertEquals(0, Models.loadClassifier(exported).parameters().values().stream()
                .filter(p -> p.value().isNaN().any()).count());
    }
}
