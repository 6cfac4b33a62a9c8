package org.ldmlab.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.ldmlab.InvalidInputException;
import org.ldmlab.io.AtomicFiles;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The file format of a {@link Checkpoint}: a ZIP archive of stored (not deflated) entries, {@code meta.properties}
 * (format, kind, seed, step, seconds, command line, {@code config.*} and {@code extra.*} lines) and one {@code .npy}
 * per tensor, which NumPy opens as an .npz. Writing is atomic; reading checks every entry's CRC-32 and turns every way a
 * file can be wrong into an {@link InvalidInputException} that says what is wrong.
 */
final class CheckpointFile {
    static final String META = "meta.properties";
    private static final String NPY = ".npy";

    private CheckpointFile() {}

    /**
     * Writes the checkpoint to {@code path} atomically (a temporary file renamed over it when complete); refuses one
     * with a non-finite tensor.
     */
    static void write(Checkpoint c, Path path) throws IOException {
        String bad = c.nonFiniteTensor();
        if (bad != null) {
            throw new InvalidInputException("not saving " + path + ": tensor " + bad + " holds NaN or Infinity");
        }
        AtomicFiles.write(path, out -> {
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                putStored(zip, META, metaText(c).getBytes(StandardCharsets.UTF_8));
                for (String name : c.tensorNames()) {
                    putStored(zip, name + NPY, Npy.toBytes(c.tensor(name)));
                }
            }
        });
    }

    /** Stored, not deflated, like NumPy's savez: float data barely compresses and reads back faster. */
    private static void putStored(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.length);
        entry.setCrc(crc(bytes));
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }

    private static String metaText(Checkpoint c) {
        StringBuilder s = new StringBuilder("# ldm-lab checkpoint. The tensors are the .npy entries of this zip: "
                + "numpy.load(path) opens it as an .npz.\n");
        line(s, "format", Integer.toString(Checkpoint.FORMAT));
        line(s, "kind", c.kind());
        line(s, "seed", Long.toString(c.seed()));
        line(s, "step", Long.toString(c.step()));
        line(s, "seconds", Double.toString(c.secondsTrained()));
        line(s, "command", c.commandLine());
        c.config().forEach((k, v) -> line(s, "config." + k, v));
        c.extras().forEach((k, v) -> line(s, "extra." + k, v));
        return s.toString();
    }

    /** One {@code key=value} line that {@link Properties#load(java.io.Reader)} reads back exactly. */
    private static void line(StringBuilder s, String key, String value) {
        String escaped = value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
                .replace("\t", "\\t").replace("\f", "\\f");
        s.append(key).append('=').append(escaped.startsWith(" ") ? "\\" + escaped : escaped).append('\n');
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    /** Reads the checkpoint at {@code path}, which must hold a model of one of the {@code expectedKinds}. */
    static Checkpoint read(Path path, String... expectedKinds) {
        if (!Files.isRegularFile(path)) {
            throw new InvalidInputException("no checkpoint at " + path + (Files.isDirectory(path) ? " (it is a folder)" : ""));
        }
        Map<String, byte[]> entries = readEntries(path);
        byte[] metaBytes = entries.remove(META);
        if (metaBytes == null) {
            throw new InvalidInputException(path + " has no " + META + ": it is not an ldm-lab checkpoint");
        }
        Properties meta = parseMeta(path, metaBytes);
        String format = required(path, meta, "format");
        if (!format.equals(Integer.toString(Checkpoint.FORMAT))) {
            throw new InvalidInputException(path + " is checkpoint format " + format + ", but this ldmlab reads format "
                    + Checkpoint.FORMAT + "; use the ldmlab version that wrote it");
        }
        String kind = required(path, meta, "kind");
        if (!Arrays.asList(expectedKinds).contains(kind)) {
            throw new InvalidInputException(path + " holds a '" + kind + "' checkpoint, expected '"
                    + String.join("' or '", expectedKinds) + "'");
        }
        Checkpoint c = new Checkpoint(path.toString(), kind, number(path, meta, "seed"), number(path, meta, "step"),
                seconds(path, meta), meta.getProperty("command", ""), section(meta, "config."), section(meta, "extra."),
                readTensors(path, entries));
        String bad = c.nonFiniteTensor();
        if (bad != null) {
            throw new InvalidInputException(path + ": tensor " + bad + " holds NaN or Infinity (a diverged run?); "
                    + "this checkpoint cannot be used: retrain, or use an earlier checkpoint");
        }
        return c;
    }

    /** Every entry's bytes, each checked against its CRC-32 (ZipFile itself does not check). */
    private static Map<String, byte[]> readEntries(Path path) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(path.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                if (crc(bytes) != entry.getCrc()) {
                    throw corrupt(path, "CRC mismatch in " + entry.getName(), null);
                }
                entries.put(entry.getName(), bytes);
            }
        } catch (IOException | IllegalArgumentException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw corrupt(path, "not a readable zip: " + reason, e);
        }
        return entries;
    }

    private static Properties parseMeta(Path path, byte[] bytes) {
        Properties meta = new Properties();
        try {
            meta.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            throw corrupt(path, META + " is unreadable: " + e.getMessage(), e);
        }
        return meta;
    }

    private static Map<String, INDArray> readTensors(Path path, Map<String, byte[]> entries) {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            String entry = e.getKey();
            if (!entry.endsWith(NPY)) {
                throw new InvalidInputException(path + " holds an unexpected entry '" + entry + "'; a checkpoint holds "
                        + META + " and .npy tensors only");
            }
            try {
                tensors.put(entry.substring(0, entry.length() - NPY.length()), Npy.fromBytes(e.getValue()));
            } catch (IOException ex) {
                throw corrupt(path, entry + " is not a valid .npy tensor: " + ex.getMessage(), ex);
            }
        }
        return tensors;
    }

    private static String required(Path path, Properties meta, String key) {
        String value = meta.getProperty(key);
        if (value == null) {
            throw corrupt(path, META + " has no '" + key + "'", null);
        }
        return value;
    }

    private static long number(Path path, Properties meta, String key) {
        try {
            return Long.parseLong(required(path, meta, key));
        } catch (NumberFormatException e) {
            throw corrupt(path, META + ": '" + key + "' is not a whole number", e);
        }
    }

    private static double seconds(Path path, Properties meta) {
        try {
            return Double.parseDouble(required(path, meta, "seconds"));
        } catch (NumberFormatException e) {
            throw corrupt(path, META + ": 'seconds' is not a number", e);
        }
    }

    /** The entries whose key starts with {@code prefix}, without it. */
    private static SortedMap<String, String> section(Properties meta, String prefix) {
        SortedMap<String, String> section = new TreeMap<>();
        for (String key : meta.stringPropertyNames()) {
            if (key.startsWith(prefix)) {
                section.put(key.substring(prefix.length()), meta.getProperty(key));
            }
        }
        return section;
    }

    private static InvalidInputException corrupt(Path path, String reason, Exception cause) {
        return new InvalidInputException(path + " is corrupt or truncated (" + reason + "); re-download or retrain", cause);
    }
}
