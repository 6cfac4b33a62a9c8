package org.ldmlab.autoencoder;

import org.ldmlab.nn.Layout;
import org.ldmlab.nn.Var;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where latent diffusion runs: z = scaleFactor * E(x), decoded by D(z / scaleFactor). The scale factor is
 * 1 / std of training latents, so z has unit variance like the N(0, I) noise it is mixed with (LDM
 * appendix G: Stable Diffusion's 0.18215 was found this way). Encoding uses the posterior mean.
 */
public final class LatentSpace {
    private final KlAutoencoder autoencoder;
    private final double scaleFactor;

    public LatentSpace(KlAutoencoder autoencoder, double scaleFactor) {
        this.autoencoder = autoencoder;
        this.scaleFactor = scaleFactor;
    }

    public KlAutoencoder autoencoder() {
        return autoencoder;
    }

    public double scaleFactor() {
        return scaleFactor;
    }

    /** images [B, 3, H, W] in [-1, 1] -> z [B, c, H/f, W/f], scaled */
    public INDArray encode(INDArray images) {
        try (var off = Var.noGrad()) {
            INDArray mean = autoencoder.encode(Var.constant(Layout.channelsLast(images))).mean().value();
            return Layout.channelsFirst(mean).muli(scaleFactor);
        }
    }

    /** z [B, c, h, w], scaled -> images [B, 3, H, W], about [-1, 1] */
    public INDArray decode(INDArray z) {
        try (var off = Var.noGrad()) {
            INDArray x = autoencoder.decode(Var.constant(Layout.channelsLast(z).divi(scaleFactor))).value();
            return Layout.channelsFirst(x);
        }
    }

    /** 1 / std of unscaled latents: the factor that gives them unit variance. */
    public static double fitScaleFactor(INDArray unscaledLatents) {
        return 1.0 / unscaledLatents.stdNumber().doubleValue();
    }
}
