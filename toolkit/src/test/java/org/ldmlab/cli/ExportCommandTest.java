package org.ldmlab.cli;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldmlab.checkpoint.Checkpoint;
import org.ldmlab.checkpoint.CheckpointBuilder;
import org.ldmlab.checkpoint.Npy;
import org.ldmlab.ldm.Models;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** `ldmlab export` refuses a checkpoint the commands could not use, and never writes over its input. */
class ExportCommandTest {
    @TempDir
    Path dir;

    private static final String FIRST = "ema/";

    @Test
    void aCompleteCheckpointExports() {
        CliRun run = export(save("good.zip", (name, t) -> t));
        assertEquals(0, run.status(), run.err());
    }

    @Test
    void aMissingTensorIsRefused() {
        CliRun run = export(save("missing.zip", (name, t) -> name.equals(firstEma()) ? null : t));
        assertEquals(2, run.status(), run.err());
        assertTrue(run.err().contains("tensor " + firstEma() + " is missing"), run.err());
        assertFalse(Files.exists(dir.resolve("out.zip")));
    }

    @Test
    void aTensorOfTheWrongShapeIsRefused() {
        CliRun run = export(save("shape.zip", (name, t) -> name.equals(firstEma()) ? Nd4j.zeros(t.dataType(), 3) : t));
        assertEquals(2, run.status(), run.err());
        assertTrue(run.err().contains("tensor " + firstEma() + " has shape [3]"), run.err());
        assertFalse(Files.exists(dir.resolve("out.zip")));
    }

    @Test
    void nanWeightsAreRefused() throws IOException {
        // a checkpoint cannot be saved with NaN weights, so one tensor of a saved file is replaced by a NaN one
        Path file = save("nan.zip", (name, t) -> t);
        INDArray bad = shipped().tensor(firstEma()).dup();
        bad.putScalar(0, Double.NaN);
        Path nan = dir.resolve("nan-weights.zip");
        try (var in = new java.util.zip.ZipFile(file.toFile());
                var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(nan))) {
            for (var entry : java.util.Collections.list(in.entries())) {
                out.putNextEntry(new java.util.zip.ZipEntry(entry.getName()));
                out.write(entry.getName().equals(firstEma() + ".npy") ? Npy.toBytes(bad) : in.getInputStream(entry).readAllBytes());
                out.closeEntry();
            }
        }
        CliRun run = export(nan);
        assertEquals(2, run.status(), run.err());
        assertTrue(run.err().contains("tensor " + firstEma() + " holds NaN or Infinity"), run.err());
        assertFalse(Files.exists(dir.resolve("out.zip")));
    }

    @Test
    void theInputIsNeverOverwrittenNotEvenThroughASymbolicLink() throws IOException {
        Path model = save("train.zip", (name, t) -> t);
        byte[] before = Files.readAllBytes(model);
        Path link = Files.createSymbolicLink(dir.resolve("link.zip"), model);
        CliRun run = CliRun.of("export", "--model", model.toString(), "--kind", "autoencoder", "--out", link.toString());
        assertEquals(2, run.status(), run.err());
        assertTrue(run.err().contains("is the file --model names"), run.err());
        assertArrayEquals(before, Files.readAllBytes(model));
        assertTrue(Files.isSymbolicLink(link));
    }

    private CliRun export(Path model) {
        return CliRun.of("export", "--model", model.toString(), "--kind", "autoencoder", "--out", dir.resolve("out.zip").toString());
    }

    private static String firstEma() {
        return shipped().tensorNames().stream().filter(n -> n.startsWith(FIRST)).findFirst().orElseThrow();
    }

    private static Checkpoint shipped() {
        return Checkpoint.load(Models.shipped(Models.AUTOENCODER), Models.AUTOENCODER);
    }

    /** The shipped autoencoder with each tensor passed through {@code change} (null drops it), saved as {@code name}. */
    private Path save(String name, BiFunction<String, INDArray, INDArray> change) {
        Checkpoint c = shipped();
        CheckpointBuilder b = Checkpoint.builder(c.kind()).seed(c.seed()).step(c.step()).config(c.config());
        c.extras().forEach(b::extra);
        for (String tensor : c.tensorNames()) {
            INDArray value = change.apply(tensor, c.tensor(tensor));
            if (value != null) {
                b.tensor(tensor, value);
            }
        }
        Path file = dir.resolve(name);
        try {
            b.build().save(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return file;
    }
}
