package org.ldmlab.nn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A tensor in a computation: its value and, when a gradient is wanted, the recipe that pushes the
 * gradient of a loss back to the tensors it was computed from (reverse-mode automatic differentiation,
 * as in PyTorch's autograd). The graph is built as the forward pass runs, so a forward pass is plain
 * eager code that a notebook cell can step through or change, e.g. to edit attention probabilities.
 *
 * <p>A Var made from tensors that need no gradient records nothing, so sampling keeps no graph.
 */
public final class Var {
    /** Pushes {@code grad} (the gradient of the loss w.r.t. this Var) into the parents' gradients. */
    @FunctionalInterface
    interface Backward {
        void apply(INDArray grad);
    }

    /** False inside {@link #noGrad()}: ops then build no graph (sampling, evaluation). */
    private static final ThreadLocal<Boolean> RECORDING = ThreadLocal.withInitial(() -> true);

    private final INDArray value;
    private final boolean requiresGrad;
    private final Var[] parents;
    private final Backward backward;
    private INDArray grad;
    private INDArray detached; // detachGrad()'s array, reused from step to step

    private Var(INDArray value, boolean requiresGrad, Var[] parents, Backward backward) {
        this.value = value;
        this.requiresGrad = requiresGrad;
        this.parents = parents;
        this.backward = backward;
    }

    /** A leaf that needs no gradient: an input, or a weight during sampling. */
    public static Var constant(INDArray value) {
        return new Var(value, false, new Var[0], null);
    }

    /** A leaf whose gradient is wanted: a trainable weight. */
    public static Var parameter(INDArray value) {
        return new Var(value, true, new Var[0], null);
    }

    /** The result of an op: records {@code backward} only when some parent needs a gradient. */
    static Var of(INDArray value, Backward backward, Var... parents) {
        if (!RECORDING.get()) {
            return new Var(value, false, new Var[0], null);
        }
        for (Var p : parents) {
            if (p.requiresGrad) {
                return new Var(value, true, parents, backward);
            }
        }
        return new Var(value, false, new Var[0], null);
    }

    /**
     * Turns gradient recording off on this thread until closed, like PyTorch's {@code torch.no_grad()}:
     * {@code try (var off = Var.noGrad()) { ... sample ... }}.
     */
    public static NoGrad noGrad() {
        boolean before = RECORDING.get();
        RECORDING.set(false);
        return () -> RECORDING.set(before);
    }

    /** The scope of {@link #noGrad()}; closing it restores recording as it was. */
    @FunctionalInterface
    public interface NoGrad extends AutoCloseable {
        @Override
        void close();
    }

    public INDArray value() {
        return value;
    }

    /** The gradient after {@link #backward()}, or null if none flowed here. */
    public INDArray grad() {
        return grad;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    public long[] shape() {
        return value.shape();
    }

    public void zeroGrad() {
        grad = null;
    }

    /**
     * Adds {@code g} to this Var's gradient. The first contribution is kept as it is, so an op must hand
     * each parent an array that no other parent also receives (data-parallel training adds replicas'
     * gradients here too).
     */
    public void accumulate(INDArray g) {
        if (!requiresGrad) {
            return;
        }
        grad = grad == null ? g : grad.addi(g);
    }

    /**
     * Moves the gradient out of the ND4J workspace it was made in (a training step's {@link Arena}), so that it
     * outlives the step; a gradient made outside any workspace stays as it is. The copy goes into the same array
     * every step, so a training run does not leave a dead gradient per step for the garbage collector to free.
     */
    public void detachGrad() {
        if (grad != null && grad.isAttached()) {
            if (detached == null || !java.util.Arrays.equals(detached.shape(), grad.shape()) || detached.dataType() != grad.dataType()) {
                INDArray inArena = grad;
                detached = Arena.outside(inArena::ulike);
            }
            grad = detached.assign(grad);
        }
    }

    /** Back-propagates from this scalar (dL/dL = 1) through every Var it was computed from. */
    public void backward() {
        if (value.length() != 1) {
            throw new IllegalStateException("backward() starts from a scalar loss, got shape "
                    + java.util.Arrays.toString(value.shape()));
        }
        grad = value.ulike().assign(1.0);
        List<Var> order = topologicalOrder();
        for (int i = order.size() - 1; i >= 0; i--) {
            Var v = order.get(i);
            if (v.backward != null && v.grad != null) {
                v.backward.apply(v.grad);
            }
        }
    }

    /** Every Var this one depends on, each after all of its parents (iterative DFS: graphs are deep). */
    private List<Var> topologicalOrder() {
        List<Var> order = new ArrayList<>();
        Set<Var> seen = new HashSet<>();
        Deque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {this, 0});
        seen.add(this);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Var v = (Var) frame[0];
            int next = (Integer) frame[1];
            if (next < v.parents.length) {
                frame[1] = next + 1;
                Var p = v.parents[next];
                if (p.requiresGrad && seen.add(p)) {
                    stack.push(new Object[] {p, 0});
                }
            } else {
                stack.pop();
                order.add(v);
            }
        }
        return order;
    }
}
