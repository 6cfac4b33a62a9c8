package org.ldmlab.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.ldmlab.nn.Arena;
import org.ldmlab.nn.Module;
import org.ldmlab.nn.Var;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Synchronous data-parallel training on threads, as PyTorch's DistributedDataParallel does across
 * processes. Each of R replicas of the model (replica 0 is the trained model itself) computes the loss of
 * its {@link Shard} of the batch and back-propagates; the gradients are averaged into the trained model,
 * whose optimizer then updates it; {@link #broadcastWeights()} copies the new weights to the other replicas.
 *
 * <p>Each shard's loss is a mean over B / R rows, so the average of the R shard gradients is the gradient
 * of the whole batch's mean loss: the run follows the same path as with one replica, up to rounding. The
 * sum is taken in replica order, so a run with the same R repeats bit for bit.
 *
 * <p>Why threads: on a CPU, ND4J's own op-level threads gain nothing on these small tensors (a UNet step
 * took 640 ms with 2 OpenMP threads and 229 ms with 1, see the README's speed section), while whole
 * forward and backward passes on separate cores run side by side at nearly full speed.
 */
public final class DataParallel<M extends Module> implements AutoCloseable {
    /** The {@link Arena} a replica's forward and backward pass allocate in. */
    static final String STEP = "ldmlab-training-step";

    private final List<M> replicas;
    private final List<List<Var>> parameters; // [replica][parameter], in declaration order
    private final ExecutorService threads;

    /** Replica 0 is {@code model}; {@code newReplica} builds the others (their weights are overwritten). */
    public DataParallel(M model, Supplier<M> newReplica, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("data parallelism needs >= 1 worker, got " + workers);
        }
        replicas = new ArrayList<>(List.of(model));
        for (int r = 1; r < workers; r++) {
            replicas.add(newReplica.get());
        }
        parameters = replicas.stream().map(m -> List.copyOf(m.parameters().values())).toList();
        requireSameParameters(model, replicas);
        threads = workers == 1 ? null : Executors.newFixedThreadPool(workers - 1, r -> {
            Thread t = new Thread(r, "ldmlab-replica");
            t.setDaemon(true);
            return t;
        });
        broadcastWeights();
    }

    /**
     * Runs {@code step} on every replica with its shard, leaves the mean of the shard gradients in the
     * trained model's parameters, and returns the mean of the shard losses.
     */
    public double lossAndGradients(TrainingLoop.ShardedStep<M> step, long stepNumber) {
        int workers = replicas.size();
        List<Future<Double>> others = new ArrayList<>();
        for (int r = 1; r < workers; r++) {
            int replica = r;
            others.add(threads.submit(() -> backward(step, stepNumber, replica)));
        }
        double sum = backward(step, stepNumber, 0); // replica 0 runs on this thread
        for (Future<Double> other : others) {
            sum += join(other);
        }
        averageGradientsIntoReplica0();
        return sum / workers;
    }

    /** Copies the trained model's weights into every other replica (after each update, and at the start). */
    public void broadcastWeights() {
        List<Var> trained = parameters.get(0);
        for (int r = 1; r < replicas.size(); r++) {
            List<Var> copy = parameters.get(r);
            for (int i = 0; i < trained.size(); i++) {
                copy.get(i).value().assign(trained.get(i).value());
            }
        }
    }

    /** Frees replica 0's step arena and stops the other replicas' threads (their arenas go with them). */
    @Override
    public void close() {
        Arena.free(STEP);
        if (threads != null) {
            threads.shutdownNow();
        }
    }

    private double backward(TrainingLoop.ShardedStep<M> step, long stepNumber, int replica) {
        if (replica > 0) {
            parameters.get(replica).forEach(Var::zeroGrad); // replica 0's are cleared by the optimizer
        }
        try (var arena = Arena.open(STEP)) { // every tensor of this replica's step, reset when it closes
            Var loss = step.loss(replicas.get(replica), stepNumber, new Shard(replica, replicas.size()));
            double value = loss.value().getDouble(0);
            loss.backward();
            parameters.get(replica).forEach(Var::detachGrad); // the gradients outlive the step
            return value;
        }
    }

    /** g = (g_0 + g_1 + ... + g_{R-1}) / R, summed in replica order, into replica 0. */
    private void averageGradientsIntoReplica0() {
        int workers = replicas.size();
        if (workers == 1) {
            return;
        }
        List<Var> trained = parameters.get(0);
        for (int i = 0; i < trained.size(); i++) {
            Var p = trained.get(i);
            for (int r = 1; r < workers; r++) {
                INDArray g = parameters.get(r).get(i).grad();
                if (g != null) {
                    p.accumulate(p.grad() == null ? g.dup() : g);
                }
            }
            if (p.grad() != null) {
                p.grad().muli(1.0 / workers);
            }
        }
    }

    private static double join(Future<Double> shard) {
        try {
            return shard.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a replica", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("a replica failed", e.getCause());
        }
    }

    private static <M extends Module> void requireSameParameters(M model, List<M> replicas) {
        Map<String, Var> expected = model.parameters();
        for (M replica : replicas) {
            Map<String, Var> actual = replica.parameters();
            if (!actual.keySet().equals(expected.keySet())) {
                throw new IllegalArgumentException("a replica must have the model's parameters; it has " + actual.keySet().size()
                        + " named differently from the model's " + expected.keySet().size());
            }
            expected.forEach((name, p) -> {
                if (!java.util.Arrays.equals(p.shape(), actual.get(name).shape())) {
                    throw new IllegalArgumentException("replica parameter " + name + " has another shape than the model's");
                }
            });
        }
    }
}
