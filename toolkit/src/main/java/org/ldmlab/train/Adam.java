package org.ldmlab.train;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.ldmlab.checkpoint.Checkpoint;
import org.ldmlab.checkpoint.CheckpointBuilder;
import org.ldmlab.nn.CpuKernels;
import org.ldmlab.nn.Module;
import org.ldmlab.nn.Var;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam (Kingma &amp; Ba 2015, Algorithm 1) over a module's parameters, with optional decoupled weight decay
 * (AdamW, Loshchilov &amp; Hutter 2019). At update t, for each parameter p with gradient g:
 * <pre>
 *   m = beta1 m + (1 - beta1) g          v = beta2 v + (1 - beta2) g^2
 *   mhat = m / (1 - beta1^t)             vhat = v / (1 - beta2^t)
 *   p = p - lr (mhat / (sqrt(vhat) + eps) + weightDecay p)
 * </pre>
 * Its state (m, v, t) goes into a {@link Checkpoint}, so a resumed run continues exactly.
 */
public final class Adam {
    static final String FIRST_MOMENTS = "optim/m";
    static final String SECOND_MOMENTS = "optim/v";
    private static final String STEPS = "adam.steps";

    private final Map<String, Var> parameters;
    private final Map<String, INDArray> m = new LinkedHashMap<>();
    private final Map<String, INDArray> v = new LinkedHashMap<>();
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private double learningRate;
    private long steps;

    /** Adam with the paper's defaults: beta1 = 0.9, beta2 = 0.999, eps = 1e-8; no weight decay. */
    public Adam(Module module, double learningRate) {
        this(module, learningRate, 0.9, 0.999, 1e-8, 0);
    }

    public Adam(Module module, double learningRate, double beta1, double beta2, double epsilon, double weightDecay) {
        this.parameters = module.parameters();
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        parameters.forEach((name, p) -> {
            m.put(name, Nd4j.zerosLike(p.value()));
            v.put(name, Nd4j.zerosLike(p.value()));
        });
    }

    /** Changes the learning rate from the next {@link #step()} on (warm-up, decay schedules). */
    public void setLearningRate(double learningRate) {
        this.learningRate = learningRate;
    }

    public double learningRate() {
        return learningRate;
    }

    /** Updates done so far: the t of the bias correction. */
    public long steps() {
        return steps;
    }

    /** Forgets every parameter's gradient; call before each backward pass. */
    public void zeroGrad() {
        parameters.values().forEach(Var::zeroGrad);
    }

    /**
     * Scales all gradients by one factor so that their global L2 norm is at most {@code maxNorm}
     * (as PyTorch's clip_grad_norm_). Returns the norm before clipping.
     */
    public double clipGradNorm(double maxNorm) {
        double sumOfSquares = gradients().mapToDouble(g -> Math.pow(g.norm2Number().doubleValue(), 2)).sum();
        double norm = Math.sqrt(sumOfSquares);
        if (norm > maxNorm) {
            gradients().forEach(g -> g.muli(maxNorm / norm));
        }
        return norm;
    }

    /** One update of every parameter that has a gradient; one that has none (unused this step) is left alone. */
    public void step() {
        steps++;
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2 = 1 - Math.pow(beta2, steps);
        parameters.forEach((name, p) -> {
            if (p.grad() != null) {
                update(p.value(), p.grad(), m.get(name), v.get(name), correction1, correction2);
            }
        });
    }

    private void update(INDArray p, INDArray g, INDArray m, INDArray v, double correction1, double correction2) {
        if (CpuKernels.appliesInPlace(p, m, v) && CpuKernels.applies(g)) { // the same update as below, fused: one pass instead of ten ops
            CpuKernels.adam(p, g, m, v, learningRate, beta1, beta2, epsilon, weightDecay, correction1, correction2);
            return;
        }
        m.muli(beta1).addi(g.mul(1 - beta1));
        v.muli(beta2).addi(g.mul(g).muli(1 - beta2));
        INDArray mHat = m.div(correction1);
        INDArray vHat = v.div(correction2);
        p.muli(1 - learningRate * weightDecay); // decoupled weight decay: p -= lr * weightDecay * p
        p.subi(mHat.divi(Transforms.sqrt(vHat, false).addi(epsilon)).muli(learningRate));
    }

    /** Adds m, v (as optim/m/..., optim/v/...) and t to a checkpoint. */
    public void saveTo(CheckpointBuilder checkpoint) {
        checkpoint.tensors(FIRST_MOMENTS, m).tensors(SECOND_MOMENTS, v).extra(STEPS, Long.toString(steps));
    }

    /** Restores m, v and t saved by {@link #saveTo}, checking every tensor's name and shape. */
    public void restoreFrom(Checkpoint checkpoint) {
        checkpoint.copyInto(FIRST_MOMENTS, m);
        checkpoint.copyInto(SECOND_MOMENTS, v);
        steps = checkpoint.extraLong(STEPS);
    }

    private Stream<INDArray> gradients() {
        return parameters.values().stream().map(Var::grad).filter(Objects::nonNull);
    }
}
