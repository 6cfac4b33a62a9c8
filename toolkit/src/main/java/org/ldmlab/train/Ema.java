package org.ldmlab.train;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ldmlab.checkpoint.Checkpoint;
import org.ldmlab.checkpoint.CheckpointBuilder;
import org.ldmlab.nn.CpuKernels;
import org.ldmlab.nn.Module;
import org.ldmlab.nn.Var;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An exponential moving average of a module's parameters, the weights diffusion models are usually
 * sampled with. After each optimizer step: shadow = d shadow + (1 - d) p, with the warm-up
 * d = min(decay, (1 + n) / (10 + n)) at the n-th update (as TensorFlow's ExponentialMovingAverage with
 * num_updates, and LDM's LitEma), so that the average soon forgets the random initial weights.
 */
public final class Ema {
    public static final String GROUP = "ema";
    private static final String UPDATES = "ema.updates";

    private final Map<String, Var> parameters;
    private final Map<String, INDArray> shadow = new LinkedHashMap<>();
    private final double decay;
    private long updates;

    /** Starts the average at the module's current weights; {@code decay} is e.g. 0.999 or 0.9999. */
    public Ema(Module module, double decay) {
        this.parameters = module.parameters();
        this.decay = decay;
        parameters.forEach((name, p) -> shadow.put(name, p.value().dup()));
    }

    /** The decay used at the n-th update (n counts from 1). */
    public static double decayAt(double decay, long n) {
        return Math.min(decay, (1.0 + n) / (10.0 + n));
    }

    public long updates() {
        return updates;
    }

    /** Moves the average towards the module's current weights. */
    public void update() {
        updates++;
        double d = decayAt(decay, updates);
        parameters.forEach((name, p) -> {
            INDArray s = shadow.get(name);
            if (CpuKernels.appliesInPlace(s, p.value())) {
                CpuKernels.ema(s, p.value(), d); // the same update, fused
            } else {
                s.muli(d).addi(p.value().mul(1 - d));
            }
        });
    }

    /** Writes the averaged weights into {@code target}, a module built with the same config (for sampling). */
    public void copyTo(Module target) {
        Map<String, Var> targetParameters = target.parameters();
        shadow.forEach((name, s) -> {
            Var t = targetParameters.get(name);
            if (t == null || !Arrays.equals(t.shape(), s.shape())) {
                throw new IllegalArgumentException("the target module has no parameter " + name + " of shape "
                        + Arrays.toString(s.shape()) + ": build it with the same config");
            }
        });
        shadow.forEach((name, s) -> targetParameters.get(name).value().assign(s));
    }

    /**
     * Exchanges the averaged and the live weights inside the trained module: evaluate, then swap again
     * to go on training. Do not save a checkpoint while swapped.
     */
    public void swap() {
        parameters.forEach((name, p) -> {
            INDArray live = p.value().dup();
            p.value().assign(shadow.get(name));
            shadow.get(name).assign(live);
        });
    }

    /** Adds the averaged weights (as ema/...) and the update count to a checkpoint. */
    public void saveTo(CheckpointBuilder checkpoint) {
        checkpoint.tensors(GROUP, shadow).extra(UPDATES, Long.toString(updates));
    }

    /** Restores what {@link #saveTo} saved, checking every tensor's name and shape. */
    public void restoreFrom(Checkpoint checkpoint) {
        checkpoint.copyInto(GROUP, shadow);
        updates = checkpoint.extraLong(UPDATES);
    }
}
