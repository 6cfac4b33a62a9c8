package org.ldmlab.metrics;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Structural similarity (Wang et al. 2004, eq. 13) of two images [3, H, W] in [-1, 1] (both clipped), the mean of
 * SSIM(x, y) = (2 mu_x mu_y + C1)(2 sigma_xy + C2) / ((mu_x^2 + mu_y^2 + C1)(sigma_x^2 + sigma_y^2 + C2))
 * over every position of an 11x11 Gaussian window (sigma 1.5) that fits inside the image, and over the channels, with
 * C1 = (0.01 L)^2, C2 = (0.03 L)^2 and the dynamic range L = 2. 1 for equal images.
 */
public final class Ssim {
    private static final int WINDOW = 11;
    private static final double SIGMA = 1.5;
    private static final double RANGE = 2;
    private static final double C1 = Math.pow(0.01 * RANGE, 2);
    private static final double C2 = Math.pow(0.03 * RANGE, 2);
    private static final double[] WEIGHTS = gaussian();

    private Ssim() {}

    public static double of(INDArray reference, INDArray image) {
        int channels = (int) reference.size(0);
        int h = (int) reference.size(1);
        int w = (int) reference.size(2);
        if (h < WINDOW || w < WINDOW || !java.util.Arrays.equals(reference.shape(), image.shape())) {
            throw new IllegalArgumentException("SSIM needs two images [C, H, W] of one shape, at least " + WINDOW + " pixels a side");
        }
        double[] x = reference.dup('c').data().asDouble();
        double[] y = image.dup('c').data().asDouble();
        double sum = 0;
        int windows = 0;
        for (int c = 0; c < channels; c++) {
            for (int top = 0; top + WINDOW <= h; top++) {
                for (int left = 0; left + WINDOW <= w; left++) {
                    sum += local(x, y, c * h * w, w, top, left);
                    windows++;
                }
            }
        }
        return sum / windows;
    }

    /** SSIM of one window; the weights sum to 1, so the weighted moments are the window's Gaussian-weighted ones. */
    private static double local(double[] x, double[] y, int offset, int w, int top, int left) {
        double mx = 0;
        double my = 0;
        double xx = 0;
        double yy = 0;
        double xy = 0;
        for (int i = 0; i < WINDOW; i++) {
            for (int j = 0; j < WINDOW; j++) {
                double g = WEIGHTS[i] * WEIGHTS[j];
                int p = offset + (top + i) * w + left + j;
                double a = Math.max(-1, Math.min(1, x[p]));
                double b = Math.max(-1, Math.min(1, y[p]));
                mx += g * a;
                my += g * b;
                xx += g * a * a;
                yy += g * b * b;
                xy += g * a * b;
            }
        }
        double vx = xx - mx * mx;
        double vy = yy - my * my;
        double cov = xy - mx * my;
        return (2 * mx * my + C1) * (2 * cov + C2) / ((mx * mx + my * my + C1) * (vx + vy + C2));
    }

    /** The 1-D Gaussian of the window, normalised to sum 1 (the 2-D window is its outer product). */
    private static double[] gaussian() {
        double[] g = new double[WINDOW];
        double total = 0;
        for (int i = 0; i < WINDOW; i++) {
            double d = i - (WINDOW - 1) / 2.0;
            g[i] = Math.exp(-d * d / (2 * SIGMA * SIGMA));
            total += g[i];
        }
        for (int i = 0; i < WINDOW; i++) {
            g[i] /= total;
        }
        return g;
    }
}
