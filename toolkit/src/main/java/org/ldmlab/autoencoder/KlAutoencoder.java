package org.ldmlab.autoencoder;

import org.ldmlab.nn.Init;
import org.ldmlab.nn.Module;
import org.ldmlab.nn.Ops;
import org.ldmlab.nn.Var;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The perceptual compression stage of LDM (Rombach et al. 2022, section 3.1): an encoder E and decoder D
 * with z = E(x) of f = 4 times lower resolution, trained to reconstruct x with a small KL penalty toward
 * N(0, I). Diffusion then runs on z * scaleFactor, where scaleFactor = 1 / std(z) over training latents
 * (LDM appendix G; how SD's 0.18215 was found) gives the latents unit variance.
 */
public final class KlAutoencoder extends Module {
    private final AutoencoderConfig config;
    private final Encoder encoder;
    private final Decoder decoder;

    public KlAutoencoder(AutoencoderConfig config, long seed) {
        this(config, new Init(seed));
    }

    public KlAutoencoder(AutoencoderConfig config, Init init) {
        this.config = config;
        this.encoder = child("encoder", new Encoder(config, init));
        this.decoder = child("decoder", new Decoder(config, init));
    }

    public AutoencoderConfig config() {
        return config;
    }

    public DiagonalGaussian encode(Var x) {
        return encoder.forward(x);
    }

    public Var decode(Var z) {
        return decoder.forward(z);
    }

    /** The training loss: ||x - D(z)||^2 (mean over pixels) + klWeight * KL(q(z|x) || N(0, I)), z ~ q(z|x). */
    public Loss loss(INDArray x, INDArray eps) {
        DiagonalGaussian q = encode(Var.constant(x));
        Var reconstruction = Ops.mse(decode(q.sample(eps)), x);
        Var kl = q.kl();
        return new Loss(Ops.add(reconstruction, Ops.scale(kl, config.klWeight())), reconstruction, kl);
    }

    /** The total loss to minimise and its two parts, for logging. */
    public record Loss(Var total, Var reconstruction, Var kl) {}
}
