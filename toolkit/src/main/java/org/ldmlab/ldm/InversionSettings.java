package org.ldmlab.ldm;

import org.ldmlab.InvalidInputException;

/**
 * How a real image is inverted for reconstruction and editing: the number of DDIM steps S (inversion and sampling
 * use the same S), the guidance scale s that sampling from the inversion will use, the scale DDIM inversion itself
 * runs at (1, conditional only, as null-text inversion's pivot; or s, inverting the guided model), and whether
 * null-text inversion (Mokady et al. 2023) then fits one unconditional embedding per step for s.
 */
public record InversionSettings(int steps, double guidance, double inversionGuidance, boolean nullText) {
    /** The most DDIM steps an inversion takes (the schedule's T bounds it too). */
    public static final int MAX_STEPS = 1000;

    public InversionSettings {
        if (steps < 1 || steps > MAX_STEPS) {
            throw new InvalidInputException("--steps must be between 1 and " + MAX_STEPS + "; got " + steps);
        }
        for (double scale : new double[] {guidance, inversionGuidance}) {
            if (!Double.isFinite(scale) || scale < 0 || scale > 50) {
                throw new InvalidInputException("guidance scales must be numbers between 0 and 50; got " + scale);
            }
        }
        if (nullText && guidance == 1) {
            throw new InvalidInputException("null-text inversion optimises the unconditional embedding, which guidance s = 1 "
                    + "does not use; give --guidance other than 1 (e.g. 3), or leave out --null-text");
        }
    }

    /** 50 steps, sampling at s = 3, DDIM inversion at s = 1 (the pivot), no null-text optimisation. */
    public static InversionSettings defaults() {
        return new InversionSettings(50, 3, 1, false);
    }

    /** The same with null-text inversion on or off. */
    public InversionSettings withNullText(boolean on) {
        return new InversionSettings(steps, guidance, inversionGuidance, on);
    }

    /** A short description, e.g. "null-text, 50 steps, s = 3" or "DDIM inverted at s = 1, 50 steps, s = 3". */
    public String describe() {
        return (nullText ? "null-text (pivot at s = " + fmt(inversionGuidance) + ")" : "DDIM inverted at s = " + fmt(inversionGuidance))
                + ", " + steps + " steps, sampled at s = " + fmt(guidance);
    }

    private static String fmt(double x) {
        return x == Math.rint(x) ? String.valueOf((long) x) : String.valueOf(x);
    }
}
