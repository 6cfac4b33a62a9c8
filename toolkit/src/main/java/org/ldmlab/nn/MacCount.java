package org.ldmlab.nn;

/**
 * Counts the multiply-adds of the matrix products a piece of code runs on this thread: every forward product of
 * {@link Ops#matmul}, {@link Ops#matmulTransposed} and {@link Ops#conv2d} (which is one product, im2col columns x
 * weights) adds M * K * N, times the batch for a batched product. Nothing else is counted: element-wise work, norms,
 * softmax, and the products of the backward pass (which do not go through these methods). It measures what
 * {@code metrics.FlopCounter} works out on paper, so the two can be checked against each other.
 *
 * <pre>
 *   long macs = MacCount.of(() -> model.forward(zt, t, text, null));
 * </pre>
 * When no count is running the products pay one thread-local look-up each.
 */
public final class MacCount {
    /** The running count of this thread, a one-element box; null when not counting. */
    private static final ThreadLocal<long[]> RUNNING = new ThreadLocal<>();

    private MacCount() {}

    /** The multiply-adds of the products {@code work} runs on this thread (a count inside a count adds to both). */
    public static long of(Runnable work) {
        long[] outer = RUNNING.get();
        long[] count = new long[1];
        RUNNING.set(count);
        try {
            work.run();
        } finally {
            RUNNING.set(outer);
        }
        if (outer != null) {
            outer[0] += count[0];
        }
        return count[0];
    }

    /** Adds one product with {@code outputs} elements, each a dot product of length {@code inner}: outputs * inner. */
    static void product(long outputs, long inner) {
        long[] count = RUNNING.get();
        if (count != null) {
            count[0] += outputs * inner;
        }
    }
}
