package org.ldmlab.metrics;

/** A measured share k / n with its Wilson score 95% interval (Wilson 1927), sound also near 0 and 1. */
public record Proportion(int successes, int trials) {
    private static final double Z95 = 1.959964;

    public double value() {
        return trials == 0 ? Double.NaN : successes / (double) trials;
    }

    /** [low, high] of the Wilson score interval at 95%; both NaN when nothing was counted. */
    public double[] interval95() {
        if (trials == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double n = trials;
        double p = value();
        double centre = (p + Z95 * Z95 / (2 * n)) / (1 + Z95 * Z95 / n);
        double half = Z95 * Math.sqrt(p * (1 - p) / n + Z95 * Z95 / (4 * n * n)) / (1 + Z95 * Z95 / n);
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)}; // [0, 1], whatever the rounding
    }

    /** "93.0% [ 88.6,  95.8] (186/200)"; "no samples" when nothing was counted (not "NaN% [NaN, NaN] (0/0)"). */
    @Override
    public String toString() {
        if (trials == 0) {
            return "no samples";
        }
        double[] ci = interval95();
        return String.format("%5.1f%% [%5.1f, %5.1f] (%d/%d)", 100 * value(), 100 * ci[0], 100 * ci[1], successes, trials);
    }
}
