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
 * A trained model as the toolkit keeps it: its kind, seed, step, training time and command line, its config and
 * extra entries, and its tensors by group and dotted path ({@link CheckpointBuilder} makes one, {@link CheckpointFile}
 * reads and writes the file). On disk it is a ZIP archive holding a human-readable
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
    /** The prefix of the extra entries that record the training run's settings. */
    static final String TRAINED_WITH = "train.";

    private final String origin;
    private final String kind;
    private final long seed;
    private final long step;
    private final double secondsTrained;
    private final String commandLine;
    private final SortedMap<String, String> config;
    private final SortedMap<String, String> extras;
    private final Map<String, INDArray> tensors;

    Checkpoint(String origin, String kind, long seed, long step, double secondsTrained, String commandLine,
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
    public static CheckpointBuilder builder(String kind) {
        return new CheckpointBuilder(kind);
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
     * the extra entries {@code train.<name>} that {@link CheckpointBuilder#trainedWith} records.
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
    public long extraLong(String key) {
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
    public void copyInto(String group, Map<String, INDArray> targets) {
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

    /**
     * Writes the checkpoint to {@code path} atomically (a temporary file renamed over it when complete); refuses one
     * with a non-finite tensor ({@link CheckpointFile#write}).
     */
    public void save(Path path) throws IOException {
        CheckpointFile.write(this, path);
    }

    /** Reads the checkpoint at {@code path}, which must hold a model of one of the {@code expectedKinds} ({@link CheckpointFile#read}). */
    public static Checkpoint load(Path path, String... expectedKinds) {
        return CheckpointFile.read(path, expectedKinds);
    }
}
