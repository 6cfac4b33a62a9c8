package org.ldmlab.nn;

import java.util.function.Supplier;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Memory for work that is repeated, such as a training step: an ND4J workspace, i.e. an arena. Every tensor made
 * while it is open (activations, saved inputs, gradients) is a slice of one block allocated once; closing it resets
 * the block, and the next round's tensors reuse it. Each thread has its own arena per name.
 *
 * <p>Why: a UNet training step makes thousands of tensors. Allocated one by one, each is a native allocation, and
 * each is freed only when Java's garbage collector finds its handle dead, so resident memory grew with the heap and
 * two data-parallel workers ran no faster than one (README, "Speed"). An arena has neither cost. Its first round is
 * measured and sets its size; a larger round grows it.
 *
 * <p>What must outlive the round is moved out before the arena closes ({@link INDArray#detach()},
 * {@link Var#detachGrad()}) or made {@link #outside} it. ND4J checks this when asked:
 * {@code ProfilerConfig.checkWorkspaces} makes an op that reads a tensor of a closed arena fail (the tests do).
 */
public final class Arena {
    private static final WorkspaceConfiguration CONFIG = WorkspaceConfiguration.builder()
            .initialSize(0)
            .policyLearning(LearningPolicy.FIRST_LOOP) // the first round measures what a round needs
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .overallocationLimit(0.05)
            .policySpill(SpillPolicy.REALLOCATE) // a round that needs more grows the arena for the next
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .build();

    private Arena() {}

    /** Opens this thread's arena {@code name} for one round: {@code try (var arena = Arena.open("step")) { ... }}. */
    public static MemoryWorkspace open(String name) {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, name);
    }

    /** Frees this thread's arena {@code name} (when the repeated work ends), if it has one. */
    public static void free(String name) {
        if (Nd4j.getWorkspaceManager().checkIfWorkspaceExists(name)) {
            Nd4j.getWorkspaceManager().destroyWorkspace(Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(name));
        }
    }

    /** Runs {@code work} outside any arena, for tensors that outlive the round. */
    public static <T> T outside(Supplier<T> work) {
        try (MemoryWorkspace none = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return work.get();
        }
    }
}
