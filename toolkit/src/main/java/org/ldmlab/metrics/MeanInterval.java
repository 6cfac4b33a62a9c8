package org.ldmlab.metrics;

import java.util.List;

/**
 * The mean of n measurements with its 95% interval, mean +- 1.96 s / sqrt(n) (normal approximation; s the sample
 * standard deviation). With fewer than two measurements the interval is unknown (NaN).
 */
public record MeanInterval(double mean, double low, double high, int n) {
    private static final double Z95 = 1.959964;

    /** The interval cut to [lo, hi], for measures that cannot leave it (a share, an IoU), as Wilson's interval is cut. */
    public MeanInterval within(double lo, double hi) {
        return new MeanInterval(mean, Math.max(lo, low), Math.min(hi, high), n);
    }

    public static MeanInterval of(List<Double> values) {
        int n = values.size();
        if (n == 0) {
            return new MeanInterval(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double mean = values.stream().mapToDouble(Double::doubleValue).sum() / n;
        if (n < 2) {
            return new MeanInterval(mean, Double.NaN, Double.NaN, n);
        }
        double ss = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        double half = Z95 * Math.sqrt(ss / (n - 1) / n);
        return new MeanInterval(mean, mean - half, mean + half, n);
    }
}
