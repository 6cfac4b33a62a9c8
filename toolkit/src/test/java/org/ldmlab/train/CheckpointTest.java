package org.ldmlab.train;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.ldmlab.train.Tensors.assertBitEqual;
import static org.ldmlab.train.Tensors.assertSameParameters;
import static org.ldmlab.train.Tensors.assertSameTensors;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldmlab.InvalidInputException;
import org.ldmlab.checkpoint.Checkpoint;
import org.ldmlab.checkpoint.CheckpointBuilder;
import org.ldmlab.checkpoint.Npy;
import org.ldmlab.nn.Init;
import org.ldmlab.nn.Linear;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CheckpointTest {
    private static final String META = "format=1\nkind=ldm\nseed=1\nstep=0\nseconds=0\n";

    @TempDir
    Path dir;

    @Test
    void everythingSavedIsLoadedBack() throws IOException {
        TinyNet net = new TinyNet(1, 8);
        Checkpoint saved = Checkpoint.builder("ldm")
                .seed(-42)
                .step(1234)
                .secondsTrained(0.1 + 0.2)
                .commandLine("ldmlab train-ldm --out 'my run.ckpt' --lr=1e-4")
                .config("channels", "64")
                .config(Map.of("tricky", " leading space, a\\backslash, a\nnew line, tab\t, # = : ! ü→", "empty", ""))
                .extra("vocabulary", "a big red circle square <pad>")
                .extra("latent.scale", "0.18215")
                .module(Checkpoint.MODEL, net)
                .tensor("stats/count", Nd4j.scalar(7f))
                .tensor("stats/mean", Nd4j.create(new double[] {1e-300, 2}, new long[] {2}, DataType.DOUBLE))
                .tensor("stats/images", new Init(3).normal(1, 2, 3, 4, 5))
                .build();
        Path file = dir.resolve("run.ckpt");
        saved.save(file);

        Checkpoint loaded = Checkpoint.load(file, "ldm");
        assertEquals("ldm", loaded.kind());
        assertEquals(-42, loaded.seed());
        assertEquals(1234, loaded.step());
        assertEquals(0.1 + 0.2, loaded.secondsTrained());
        assertEquals(saved.commandLine(), loaded.commandLine());
        assertEquals(saved.config(), loaded.config());
        assertEquals(saved.extras(), loaded.extras());
        assertEquals("64", loaded.config("channels"));
        assertEquals("0.18215", loaded.extra("latent.scale"));
        assertSameTensors(saved, loaded);
        assertEquals(Arrays.asList("model/hidden.weight", "model/hidden.bias", "model/out.weight", "model/out.bias",
                "stats/count", "stats/mean", "stats/images"), loaded.tensorNames().stream().toList());

        TinyNet other = new TinyNet(2, 8);
        loaded.loadInto(other, Checkpoint.MODEL);
        assertSameParameters(net, other);
    }

    @Test
    void metaIsReadableText() throws IOException {
        Path file = save(Checkpoint.builder("autoencoder").seed(5).step(10).config("channels", "32"));
        String zip = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertTrue(zip.contains("format=1\nkind=autoencoder\nseed=5\nstep=10\n"), zip);
        assertTrue(zip.contains("config.channels=32\n"), zip);
    }

    @Test
    void addedTensorsAreCopiesSoTrainingMayGoOn() {
        INDArray w = Nd4j.ones(DataType.FLOAT, 2);
        Checkpoint c = Checkpoint.builder("ldm").tensor("model/w", w).build();
        w.assign(5);
        assertEquals(1f, c.tensor("model/w").getFloat(0));
    }

    @Test
    void aSaveThatFailsHalfWayKeepsTheOldCheckpoint() throws IOException {
        Path file = save(Checkpoint.builder("ldm").step(100).module(Checkpoint.MODEL, new TinyNet(1, 4)));
        Checkpoint broken = Checkpoint.builder("ldm").step(200)
                .module(Checkpoint.MODEL, new TinyNet(2, 4))
                .tensor("stats/labels", Nd4j.zeros(DataType.INT32, 3)) // written last, and not writable as .npy
                .build();
        assertThrows(IllegalArgumentException.class, () -> broken.save(file));
        assertEquals(100, Checkpoint.load(file, "ldm").step());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void aTensorWithNanOrInfinityIsNeitherSavedNorLoaded() throws IOException {
        Path file = save(Checkpoint.builder("ldm").step(1).module(Checkpoint.MODEL, new TinyNet(1, 4)));
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            INDArray w = Nd4j.ones(DataType.FLOAT, 3).putScalar(1, bad);
            Checkpoint diverged = Checkpoint.builder("ldm").step(2).module(Checkpoint.MODEL, new TinyNet(1, 4)).tensor("ema/w", w).build();
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> diverged.save(file));
            assertEquals("not saving " + file + ": tensor ema/w holds NaN or Infinity", e.getMessage());
            assertEquals(1, Checkpoint.load(file, "ldm").step(), "the good checkpoint is kept");

            Path written = zip("diverged.ckpt", Map.of("meta.properties", META.getBytes(), "model/w.npy", Npy.toBytes(Nd4j.ones(2)),
                    "ema/w.npy", Npy.toBytes(w)));
            assertError(written + ": tensor ema/w holds NaN or Infinity (a diverged run?); this checkpoint cannot be used", written);
        }
    }

    // ---- files that are not checkpoints ----------------------------------------------------------

    @Test
    void missingFileOrFolder() {
        assertError("no checkpoint at " + dir.resolve("nope.ckpt"), dir.resolve("nope.ckpt"));
        assertError("(it is a folder)", dir);
    }

    @Test
    void textOrEmptyFileIsCorrupt() throws IOException {
        assertError("is corrupt or truncated (not a readable zip", Files.writeString(dir.resolve("a.ckpt"), "hello\n"));
        assertError("is corrupt or truncated", Files.write(dir.resolve("b.ckpt"), new byte[0]));
    }

    @Test
    void truncatedFileIsCorrupt() throws IOException {
        byte[] good = Files.readAllBytes(save(Checkpoint.builder("ldm").module(Checkpoint.MODEL, new TinyNet(1, 64))));
        for (int length : new int[] {good.length - 1, good.length - 30, good.length / 2, 100}) {
            Path cut = Files.write(dir.resolve("cut-" + length + ".ckpt"), Arrays.copyOf(good, length));
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> Checkpoint.load(cut, "ldm"));
            assertTrue(e.getMessage().startsWith(cut + " is corrupt or truncated ("), e.getMessage());
            assertTrue(e.getMessage().endsWith("); re-download or retrain"), e.getMessage());
        }
    }

    @Test
    void aFlippedByteInsideATensorFailsItsCrc() throws IOException {
        Path file = save(Checkpoint.builder("ldm").tensor("model/big", new Init(1).normal(1, 64, 64)));
        byte[] bytes = Files.readAllBytes(file);
        int data = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("(64, 64)") + 1000;
        bytes[data] ^= 0x10;
        Files.write(file, bytes);
        assertError("CRC mismatch in model/big.npy", file);
    }

    /** Whatever single byte is damaged, loading either fails with a clear message or gives the exact weights. */
    @Test
    void everySingleDamagedByteIsCaughtOrHarmless() throws IOException {
        Linear net = new Linear(2, 1, false, new Init(1));
        byte[] good = Files.readAllBytes(save(Checkpoint.builder("ldm").module(Checkpoint.MODEL, net)));
        Path file = dir.resolve("damaged.ckpt");
        for (int i = 0; i < good.length; i++) {
            byte[] bytes = good.clone();
            bytes[i] ^= (byte) 0xA5;
            Files.write(file, bytes);
            Linear into = new Linear(2, 1, false, new Init(2));
            try {
                Checkpoint.load(file, "ldm").loadInto(into, Checkpoint.MODEL);
                assertSameParameters(net, into);
            } catch (InvalidInputException expected) {
                assertTrue(expected.getMessage().startsWith(file.toString()), expected.getMessage());
            } catch (RuntimeException e) {
                fail("byte " + i + " of " + good.length + ": " + e, e);
            }
        }
    }

    @Test
    void zipWithoutMetaIsNotACheckpoint() throws IOException {
        Path file = zip("plain.npz", Map.of("x.npy", Npy.toBytes(Nd4j.ones(DataType.FLOAT, 2))));
        assertError(file + " has no meta.properties: it is not an ldm-lab checkpoint", file);
    }

    @Test
    void otherFormatVersionOrKindIsRefused() throws IOException {
        assertError("is checkpoint format 2, but this ldmlab reads format 1",
                zip("v2.ckpt", Map.of("meta.properties", META.replace("format=1", "format=2").getBytes())));
        Path ldm = save(Checkpoint.builder("ldm"));
        assertError(ldm + " holds a 'ldm' checkpoint, expected 'autoencoder'", ldm, "autoencoder");
    }

    @Test
    void damagedMetaOrEntriesAreNamed() throws IOException {
        assertError("meta.properties has no 'step'", zip("a.ckpt", Map.of("meta.properties", META.replace("step=0\n", "").getBytes())));
        assertError("'seed' is not a whole number", zip("b.ckpt", Map.of("meta.properties", META.replace("seed=1", "seed=x").getBytes())));
        assertError("unexpected entry 'notes.txt'", zip("c.ckpt", Map.of("meta.properties", META.getBytes(), "notes.txt", new byte[1])));
        assertError("model/x.npy is not a valid .npy tensor: no NumPy magic",
                zip("d.ckpt", Map.of("meta.properties", META.getBytes(), "model/x.npy", "junk".getBytes())));
    }

    // ---- checkpoints that do not fit the model ----------------------------------------------------

    @Test
    void wrongShapeNamesTheTensorAndBothShapes() throws IOException {
        Checkpoint c = Checkpoint.load(save(Checkpoint.builder("ldm").module(Checkpoint.MODEL, new TinyNet(1, 8))), "ldm");
        TinyNet narrow = new TinyNet(2, 6);
        Map<String, INDArray> before = Tensors.copy(narrow);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> c.loadInto(narrow, Checkpoint.MODEL));
        assertEquals(dir.resolve("run.ckpt") + ": tensor model/hidden.weight has shape [3, 8], the model expects [3, 6]: "
                + "was it trained with another config?", e.getMessage());
        before.forEach((name, value) -> assertBitEqual(value, narrow.parameters().get(name).value(), "untouched " + name));
    }

    @Test
    void missingOrExtraTensorsAreNamed() throws IOException {
        Linear withBias = new Linear(3, 4, true, new Init(1));
        Linear withoutBias = new Linear(3, 4, false, new Init(1));
        Checkpoint noBias = Checkpoint.load(save(Checkpoint.builder("ldm").module(Checkpoint.MODEL, withoutBias)), "ldm");
        InvalidInputException missing = assertThrows(InvalidInputException.class, () -> noBias.loadInto(withBias, "model"));
        assertTrue(missing.getMessage().contains("tensor model/bias is missing, the model expects shape [4]: was it trained"),
                missing.getMessage());

        Checkpoint bias = Checkpoint.load(save(Checkpoint.builder("ldm").module(Checkpoint.MODEL, withBias)), "ldm");
        InvalidInputException extra = assertThrows(InvalidInputException.class, () -> bias.loadInto(withoutBias, "model"));
        assertTrue(extra.getMessage().contains("tensor model/bias is not part of the model"), extra.getMessage());
    }

    @Test
    void missingEntriesAreNamed() throws IOException {
        Checkpoint c = Checkpoint.load(save(Checkpoint.builder("ldm").config("channels", "8")), "ldm");
        assertTrue(assertThrows(InvalidInputException.class, () -> c.config("heads")).getMessage()
                .contains("has no config entry 'heads'; it has [channels]"));
        assertTrue(assertThrows(InvalidInputException.class, () -> c.tensor("model/w")).getMessage()
                .contains("has no tensor model/w"));
    }

    @Test
    void keysAreCheckedWhenBuilding() {
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.builder("ldm").config("two words", "x"));
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.builder("a=b"));
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.builder("ldm")
                .tensor("model/w", Nd4j.ones(1)).tensor("model/w", Nd4j.ones(1)));
    }

    private Path save(CheckpointBuilder builder) throws IOException {
        Path file = dir.resolve("run.ckpt");
        builder.build().save(file);
        return file;
    }

    private Path zip(String name, Map<String, byte[]> entries) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : new LinkedHashMap<>(entries).entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }

    private static void assertError(String expected, Path file) {
        assertError(expected, file, "ldm");
    }

    private static void assertError(String expected, Path file, String kind) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Checkpoint.load(file, kind));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
