package org.ldmlab.train;

import java.util.function.LongToDoubleFunction;
import org.ldmlab.InvalidInputException;

/**
 * The learning rate of each step n = 1 .. total of a run:
 * <pre>
 *   warm-up, n &lt;= W:   lr_n = peak n / W                                   (Goyal et al. 2017, section 2.2)
 *   then, constant:      lr_n = peak
 *   or cosine:           lr_n = peak (1 + cos(pi (n - 1 - W) / (total - W))) / 2
 *                        (Loshchilov and Hutter 2017, SGDR eq. 5, one cycle, eta_min = 0)
 * </pre>
 * W = 0 and constant is the plain Adam run. The cosine's end is the run's {@code total}: a run to S steps is not the
 * first S steps of a longer one, so its checkpoints record the schedule ({@link #toString}).
 */
public record LearningRateSchedule(double peak, long warmup, Decay decay, long total) implements LongToDoubleFunction {
    /** What follows the warm-up. */
    public enum Decay {
        CONSTANT, COSINE;

        public String word() {
            return name().toLowerCase();
        }

        public static Decay parse(String word) {
            for (Decay d : values()) {
                if (d.word().equals(word)) {
                    return d;
                }
            }
            throw new InvalidInputException("unknown learning-rate decay '" + word + "'; choose constant or cosine");
        }
    }

    public LearningRateSchedule {
        if (!(peak > 0) || !Double.isFinite(peak)) {
            throw new InvalidInputException("the learning rate must be a finite number > 0; got " + peak);
        }
        if (warmup < 0 || warmup >= total) {
            throw new InvalidInputException("the warm-up must be 0 or more steps and end before the run's last step " + total
                    + "; got " + warmup);
        }
    }

    @Override
    public double applyAsDouble(long step) {
        if (step <= warmup) {
            return peak * step / warmup;
        }
        return switch (decay) {
            case CONSTANT -> peak;
            case COSINE -> peak * (1 + Math.cos(Math.PI * (step - 1 - warmup) / (total - warmup))) / 2;
        };
    }

    /** As a checkpoint records it, e.g. "5.0E-4, warm-up 200, cosine to 4000". */
    @Override
    public String toString() {
        return peak + (warmup > 0 ? ", warm-up " + warmup : "") + (decay == Decay.COSINE ? ", cosine to " + total : "");
    }
}
