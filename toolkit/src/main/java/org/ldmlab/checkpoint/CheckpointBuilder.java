package org.ldmlab.checkpoint;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.ldmlab.nn.Module;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Collects a {@link Checkpoint}'s content; tensors are copied as they are added, so training may go on. */
public final class CheckpointBuilder {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]+");

    private final String kind;
    private long seed;
    private long step;
    private double secondsTrained;
    private String commandLine = "";
    private final SortedMap<String, String> config = new TreeMap<>();
    private final SortedMap<String, String> extras = new TreeMap<>();
    private final Map<String, INDArray> tensors = new LinkedHashMap<>();

    CheckpointBuilder(String kind) {
        this.kind = key(kind);
    }

    public String kind() {
        return kind;
    }

    public long seed() {
        return seed;
    }

    public CheckpointBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    public CheckpointBuilder step(long step) {
        this.step = step;
        return this;
    }

    public CheckpointBuilder secondsTrained(double seconds) {
        this.secondsTrained = seconds;
        return this;
    }

    public CheckpointBuilder commandLine(String commandLine) {
        this.commandLine = commandLine;
        return this;
    }

    /** A setting the model was built or trained with; keys are letters, digits and {@code . _ -}. */
    public CheckpointBuilder config(String key, String value) {
        config.put(key(key), value);
        return this;
    }

    public CheckpointBuilder config(Map<String, String> settings) {
        settings.forEach(this::config);
        return this;
    }

    /** Anything else the model needs to be used, e.g. a vocabulary or the latent scale factor. */
    public CheckpointBuilder extra(String key, String value) {
        extras.put(key(key), value);
        return this;
    }

    /** A setting of the training run, such as "batch" or "lr" (see {@link Checkpoint#trainingSettings()}). */
    public CheckpointBuilder trainedWith(String setting, Object value) {
        return extra(Checkpoint.TRAINED_WITH + setting, String.valueOf(value));
    }

    /** A float32 or float64 tensor under a name such as "model/encoder.conv_in.weight". */
    public CheckpointBuilder tensor(String name, INDArray value) {
        if (tensors.put(name, value.dup()) != null) {
            throw new IllegalArgumentException("tensor " + name + " added twice");
        }
        return this;
    }

    /** Every parameter of {@code module} as {@code group/<dotted path>}. */
    public CheckpointBuilder module(String group, Module module) {
        module.parameters().forEach((name, p) -> tensor(group + "/" + name, p.value()));
        return this;
    }

    /** Every tensor of {@code values} as {@code group/<name>} (e.g. an optimiser's moments, the EMA weights). */
    public CheckpointBuilder tensors(String group, Map<String, INDArray> values) {
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
