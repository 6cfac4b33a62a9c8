package org.ldmlab.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ldmlab.schedule.Noise;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What this machine's matrix product reaches: ND4J's float {@code mmul} (OpenBLAS sgemm on the CPU backend) of two
 * n x n matrices, the ceiling a network made of matrix products can approach. Counted as {@link Throughput} counts
 * a network, one multiply-add = one flop, so n^3 per product (the usual sgemm figure, 2 n^3, is twice this).
 *
 * <p>Several threads run whole products side by side, one each, as the data-parallel training workers run: ND4J's
 * native thread count is fixed when it loads (OMP_NUM_THREADS, which the launcher sets to 1), not per call.
 */
public final class Sgemm {
    private Sgemm() {}

    /** Median GFLOP/s (multiply-adds) of {@code threads} concurrent n^3 products, over {@code repeats} rounds after one warm-up. */
    public static double gflops(int n, int threads, int repeats) {
        if (n < 1 || threads < 1 || repeats < 1) {
            throw new IllegalArgumentException("sgemm needs n, threads and repeats >= 1; got " + n + ", " + threads + ", " + repeats);
        }
        List<INDArray[]> operands = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Noise noise = new Noise(t);
            operands.add(new INDArray[] {noise.standardNormal(n, n).castTo(DataType.FLOAT), noise.standardNormal(n, n).castTo(DataType.FLOAT)});
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            double[] seconds = new double[repeats];
            for (int r = -1; r < repeats; r++) {
                List<Callable<INDArray>> products = operands.stream().<Callable<INDArray>>map(ab -> () -> Nd4j.matmul(ab[0], ab[1])).toList();
                long start = System.nanoTime();
                for (Future<INDArray> f : pool.invokeAll(products)) {
                    f.get();
                }
                if (r >= 0) {
                    seconds[r] = (System.nanoTime() - start) / 1e9;
                }
            }
            Arrays.sort(seconds);
            return threads * macs(n) / seconds[repeats / 2] / 1e9;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while timing sgemm", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("sgemm failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Multiply-adds of one n x n by n x n product. */
    static double macs(int n) {
        return (double) n * n * n;
    }
}
