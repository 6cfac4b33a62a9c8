package org.ldmlab.schedule;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.ldmlab.InvalidInputException;

/** The ways to choose beta_1..beta_T. Each kind turns T into the T betas (index 0..T-1). */
public enum ScheduleKind {
    /**
     * DDPM section 4: beta linear from 1e-4 to 0.02 at T = 1000. For another T both ends scale by 1000/T,
     * as the improved-DDPM and DiT code do, so the total amount of noise stays comparable.
     */
    LINEAR("linear") {
        @Override
        double[] betas(int T) {
            double scale = 1000.0 / T;
            if (0.02 * scale >= 1) {
                throw new InvalidInputException("the linear schedule needs T >= 21 (its last beta 0.02 * 1000/T must stay"
                        + " below 1); got T = " + T + "; use scaled_linear or cosine for fewer steps");
            }
            return linspace(scale * 1e-4, scale * 0.02, T);
        }
    },
    /** LDM / Stable Diffusion "linear": beta = linspace(sqrt(0.00085), sqrt(0.012), T)^2. */
    SCALED_LINEAR("scaled_linear") {
        @Override
        double[] betas(int T) {
            double[] root = linspace(Math.sqrt(0.00085), Math.sqrt(0.012), T);
            return Arrays.stream(root).map(r -> r * r).toArray();
        }
    },
    /**
     * Improved DDPM eq. 17: abar(t) = f(t) / f(0), f(t) = cos^2(((t/T) + s)/(1 + s) * pi/2), s = 0.008;
     * beta_t = 1 - abar_t / abar_{t-1}, clipped at 0.999 so the last step is not pure noise (beta = 1).
     */
    COSINE("cosine") {
        @Override
        double[] betas(int T) {
            double[] beta = new double[T];
            for (int i = 0; i < T; i++) { // index i runs from paper time i to i + 1
                beta[i] = Math.min(1 - cosineF(i + 1, T) / cosineF(i, T), 0.999);
            }
            return beta;
        }
    };

    private final String cliName;

    ScheduleKind(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line and in CSV files, e.g. {@code scaled_linear}. */
    public String cliName() {
        return cliName;
    }

    abstract double[] betas(int T);

    /** The kind named {@code name} ({@code linear}, {@code scaled_linear} or {@code cosine}). */
    public static ScheduleKind parse(String name) {
        return Arrays.stream(values())
                .filter(k -> k.cliName.equals(name))
                .findFirst()
                .orElseThrow(() -> new InvalidInputException("unknown schedule kind '" + name + "'; valid kinds: "
                        + Arrays.stream(values()).map(ScheduleKind::cliName).collect(Collectors.joining(", "))));
    }

    private static double[] linspace(double first, double last, int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = first + (last - first) * i / (n - 1);
        }
        return values;
    }

    /** f(t) = cos^2(((t/T) + s)/(1 + s) * pi/2) with s = 0.008 (improved DDPM eq. 17). */
    private static double cosineF(double t, int T) {
        double s = 0.008;
        double c = Math.cos((t / T + s) / (1 + s) * Math.PI / 2);
        return c * c;
    }
}
