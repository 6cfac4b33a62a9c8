package org.ldmlab.train;

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
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.ldmlab.InvalidInputException;
import org.ldmlab.io.AtomicFiles;
import org.ldmlab.nn.Finite;
import org.ldmlab.nn.Module;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The on-disk form of every model the toolkit trains: a ZIP archive holding a human-readable
 * {@code meta.properties} (format, model kind, seed, step, seconds trained, command line, config and extra
 * entries) and one {@link Npy .npy} entry per tensor, named by group and dotted path:
 * {@code model/down.0.res.conv1.weight.npy}, {@code ema/...}, {@code optim/m/...}, {@code optim/v/...}.
 * NumPy opens it as an .npz: {@code numpy.load("run.ckpt")["model/down.0.res.conv1.weight"]}.
 *
 * <p>Saving is atomic, so an interrupted save never replaces a good checkpoint with half of one. Loading
 * turns every way a file can be wrong into an {@link InvalidInputException} that says what is wrong. A tensor
 * holding NaN or Infinity (a diverged run) is neither saved nor loaded: every model would compute NaN from it.
 */
public final class Checkpoint {
    /** The layout version written to {@code meta.properties}; a reader refuses any other. */
    public static final int FORMAT = 1;
    /** The group of the trained weights. */
    public static final String MODEL = "model";
    static final String META = "meta.properties";
    private static final String TRAINED_WITH = "train.";
    private static final String NPY = ".npy";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]+");

    private final String origin;
    private final String kind;
    private final long seed;
    private final long step;
    private final double secondsTrained;
    private final String commandLine;
    private final SortedMap<String, String> config;
    private final SortedMap<String, String> extras;
    private final Map<String, INDArray> tensors;

    private Checkpoint(String origin, String kind, long seed, long step, double secondsTrained, String commandLine,
            SortedMap<String, String> config, SortedMap<String, String> extras, Map<String, INDArray> tensors) {
        this.origin = origin;
        this.kind = kind;
        this.seed = seed;
        this.step = step;
        this.secondsTrained = secondsTrained;
        this.commandLine = commandLine;
        this.config = Collections.unmodifiableSortedMap(config);
        this.extras = Collections.unmodifiableSortedMap(extras);
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /** Starts a checkpoint of a model of the given kind ("autoencoder", "ldm", "inpaint", ...). */
    public static Builder builder(String kind) {
        return new Builder(kind);
    }

    // ---- the content ------------------------------------------------------------------------------

    public String kind() {
        return kind;
    }

    /** Where this checkpoint was read from. */
    @Override
    public String toString() {
        return origin;
    }

    public long seed() {
        return seed;
    }

    /** Training steps completed when it was saved. */
    public long step() {
        return step;
    }

    /** Wall-clock seconds of training, summed over resumed runs. */
    public double secondsTrained() {
        return secondsTrained;
    }

    /** The command line that trained it, to reproduce or extend the run. */
    public String commandLine() {
        return commandLine;
    }

    public SortedMap<String, String> config() {
        return config;
    }

    /** One config value, e.g. the number of channels a model must be built with to load this checkpoint. */
    public String config(String key) {
        return entry(config, "config", key);
    }

    public SortedMap<String, String> extras() {
        return extras;
    }

    /** One extra entry, e.g. the vocabulary or the latent scale factor. */
    public String extra(String key) {
        return entry(extras, "extra", key);
    }

    /**
     * The settings of the run that a resumed run repeats to go on bit for bit (batch, learning rate, workers), by name:
     * the extra entries {@code train.<name>} that {@link Builder#trainedWith} records.
     */
    public SortedMap<String, String> trainingSettings() {
        SortedMap<String, String> settings = new TreeMap<>();
        extras.forEach((k, v) -> {
            if (k.startsWith(TRAINED_WITH)) {
                settings.put(k.substring(TRAINED_WITH.length()), v);
            }
        });
        return settings;
    }

    /** An extra entry that holds a whole number, such as a count of updates. */
    long extraLong(String key) {
        String value = extra(key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(origin + ": extra entry '" + key + "' is '" + value + "', not a whole number");
        }
    }

    /** Every tensor name, e.g. "model/encoder.conv_in.weight", in the order they were saved. */
    public Set<String> tensorNames() {
        return tensors.keySet();
    }

    /** The name of the first tensor that holds NaN or Infinity, or null when every value is finite. */
    public String nonFiniteTensor() {
        return tensors.entrySet().stream().filter(t -> !Finite.all(t.getValue())).map(Map.Entry::getKey).findFirst().orElse(null);
    }

    /** The saved values (shared, not a copy: copy before changing them). */
    public INDArray tensor(String name) {
        INDArray t = tensors.get(name);
        if (t == null) {
            throw new InvalidInputException(origin + " has no tensor " + name);
        }
        return t;
    }

    /**
     * Copies the tensors of {@code group} ("model", "ema") into the module's parameters. Every parameter
     * must be there with its shape and no other tensor may be in the group; otherwise the module is left
     * untouched and the error names the first tensor that does not fit.
     */
    public void loadInto(Module module, String group) {
        Map<String, INDArray> values = new LinkedHashMap<>();
        module.parameters().forEach((name, p) -> values.put(name, p.value()));
        copyInto(group, values);
    }

    /** Copies {@code group/<name>} into {@code targets.get(name)} for every name, after checking them all. */
    void copyInto(String group, Map<String, INDArray> targets) {
        String prefix = group + "/";
        targets.forEach((name, target) -> {
            INDArray saved = tensors.get(prefix + name);
            String expected = Arrays.toString(target.shape());
            if (saved == null) {
                throw mismatch("tensor " + prefix + name + " is missing, the model expects shape " + expected);
            }
            if (!Arrays.equals(saved.shape(), target.shape())) {
                throw mismatch("tensor " + prefix + name + " has shape " + Arrays.toString(saved.shape())
                        + ", the model expects " + expected);
            }
        });
        for (String name : tensors.keySet()) {
            if (name.startsWith(prefix) && !targets.containsKey(name.substring(prefix.length()))) {
                throw mismatch("tensor " + name + " is not part of the model");
            }
        }
        targets.forEach((name, target) -> target.assign(tensors.get(prefix + name)));
    }

    private InvalidInputException mismatch(String what) {
        return new InvalidInputException(origin + ": " + what + ": was it trained with another config?");
    }

    private String entry(Map<String, String> section, String sectionName, String key) {
        String value = section.get(key);
        if (value == null) {
            throw new InvalidInputException(origin + " has no " + sectionName + " entry '" + key + "'; it has "
                    + section.keySet());
        }
        return value;
    }

    // ---- writing ----------------------------------------------------------------------------------

    /**
     * Writes the checkpoint to {@code path} atomically (a temporary file renamed over it when complete); refuses one
     * with a non-finite tensor.
     */
    public void save(Path path) throws IOException {
        String bad = nonFiniteTensor();
        if (bad != null) {
            throw new InvalidInputException("not saving " + path + ": tensor " + bad + " holds NaN or Infinity");
        }
        AtomicFiles.write(path, out -> {
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                putStored(zip, META, metaText().getBytes(StandardCharsets.UTF_8));
                for (Map.Entry<String, INDArray> t : tensors.entrySet()) {
                    putStored(zip, t.getKey() + NPY, Npy.toBytes(t.getValue()));
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

    private String metaText() {
        StringBuilder s = new StringBuilder("# ldm-lab checkpoint. The tensors are the .npy entries of this zip: "
                + "numpy.load(path) opens it as an .npz.\n");
        line(s, "format", Integer.toString(FORMAT));
        line(s, "kind", kind);
        line(s, "seed", Long.toString(seed));
        line(s, "step", Long.toString(step));
        line(s, "seconds", Double.toString(secondsTrained));
        line(s, "command", commandLine);
        config.forEach((k, v) -> line(s, "config." + k, v));
        extras.forEach((k, v) -> line(s, "extra." + k, v));
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

    // ---- reading ----------------------------------------------------------------------------------

    /** Reads the checkpoint at {@code path}, which must hold a model of one of the {@code expectedKinds}. */
    public static Checkpoint load(Path path, String... expectedKinds) {
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
        if (!format.equals(Integer.toString(FORMAT))) {
            throw new InvalidInputException(path + " is checkpoint format " + format + ", but this ldmlab reads format "
                    + FORMAT + "; use the ldmlab version that wrote it");
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

    // ---- building ---------------------------------------------------------------------------------

    /** Collects a checkpoint's content; tensors are copied as they are added, so training may go on. */
    public static final class Builder {
        private final String kind;
        private long seed;
        private long step;
        private double secondsTrained;
        private String commandLine = "";
        private final SortedMap<String, String> config = new TreeMap<>();
        private final SortedMap<String, String> extras = new TreeMap<>();
        private final Map<String, INDArray> tensors = new LinkedHashMap<>();

        private Builder(String kind) {
            this.kind = key(kind);
        }

        public String kind() {
            return kind;
        }

        public long seed() {
            return seed;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder step(long step) {
            this.step = step;
            return this;
        }

        public Builder secondsTrained(double seconds) {
            this.secondsTrained = seconds;
            return this;
        }

        public Builder commandLine(String commandLine) {
            this.commandLine = commandLine;
            return this;
        }

        /** A setting the model was built or trained with; keys are letters, digits and {@code . _ -}. */
        public Builder config(String key, String value) {
            config.put(key(key), value);
            return this;
        }

        public Builder config(Map<String, String> settings) {
            settings.forEach(this::config);
            return this;
        }

        /** Anything else the model needs to be used, e.g. a vocabulary or the latent scale factor. */
        public Builder extra(String key, String value) {
            extras.put(key(key), value);
            return this;
        }

        /** A setting of the training run, such as "batch" or "lr" (see {@link Checkpoint#trainingSettings()}). */
        public Builder trainedWith(String setting, Object value) {
            return extra(TRAINED_WITH + setting, String.valueOf(value));
        }

        /** A float32 or float64 tensor under a name such as "model/encoder.conv_in.weight". */
        public Builder tensor(String name, INDArray value) {
            if (tensors.put(name, value.dup()) != null) {
                throw new IllegalArgumentException("tensor " + name + " added twice");
            }
            return this;
        }

        /** Every parameter of {@code module} as {@code group/<dotted path>}. */
        public Builder module(String group, Module module) {
            module.parameters().forEach((name, p) -> tensor(group + "/" + name, p.value()));
            return this;
        }

        Builder tensors(String group, Map<String, INDArray> values) {
            values.forEach((name, value) -> tensor(group + "/" + name, value));
            return this;
        }

        public Checkpoint build() {
            return new Checkpoint("checkpoint", kind, seed, step, secondsTrained, commandLine,
                    new TreeMap<>(config), new TreeMap<>(extras), new LinkedHashMap<>(tensors));
        }

        private static String key(String key) {
            if (!KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("'" + key + "' is not a valid checkpoint key "
                        + "(letters, digits and . _ - only)");
            }
            return key;
        }
    }
}
