package org.ldmlab.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A building block with trainable parameters and sub-blocks, each under a name, so that every weight
 * has a stable dotted path ("down.0.res.conv1.weight") for checkpoints and for students to inspect.
 */
public abstract class Module {
    private final Map<String, Var> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();

    protected final Var parameter(String name, INDArray initial) {
        Var p = Var.parameter(initial);
        if (parameters.put(name, p) != null) {
            throw new IllegalStateException("parameter '" + name + "' declared twice in " + getClass().getSimpleName());
        }
        return p;
    }

    protected final <M extends Module> M child(String name, M module) {
        if (children.put(name, module) != null) {
            throw new IllegalStateException("sub-module '" + name + "' declared twice in " + getClass().getSimpleName());
        }
        return module;
    }

    /** Every parameter of this block and its sub-blocks, by dotted path, in declaration order. */
    public final Map<String, Var> parameters() {
        Map<String, Var> all = new LinkedHashMap<>();
        collect("", all);
        return all;
    }

    /** This block and every block inside it, depth first. */
    public final java.util.List<Module> modules() {
        java.util.List<Module> all = new java.util.ArrayList<>();
        all.add(this);
        children.values().forEach(m -> all.addAll(m.modules()));
        return all;
    }

    /** This block (path "") and every block inside it by dotted path ("down.0.attn"), depth first. */
    public final Map<String, Module> namedModules() {
        Map<String, Module> all = new LinkedHashMap<>();
        collectModules("", all);
        return all;
    }

    private void collectModules(String path, Map<String, Module> into) {
        into.put(path, this);
        children.forEach((name, m) -> m.collectModules(path.isEmpty() ? name : path + "." + name, into));
    }

    public final long parameterCount() {
        return parameters().values().stream().mapToLong(v -> v.value().length()).sum();
    }

    private void collect(String prefix, Map<String, Var> into) {
        parameters.forEach((name, p) -> into.put(prefix + name, p));
        children.forEach((name, m) -> m.collect(prefix + name + ".", into));
    }
}
