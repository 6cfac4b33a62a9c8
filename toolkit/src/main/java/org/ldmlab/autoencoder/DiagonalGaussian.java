package org.ldmlab.autoencoder;

import org.ldmlab.nn.Ops;
import org.ldmlab.nn.Var;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The encoder's posterior q(z | x) = N(mean, diag(exp(logvar))) of the KL-regularised autoencoder
 * (LDM, Rombach et al. 2022, section 3.1 and appendix G; Kingma and Welling 2014).
 */
public final class DiagonalGaussian {
    private final Var mean;   // [B, h, w, c]
    private final Var logvar; // [B, h, w, c], clamped to [-30, 20] as in the LDM code

    public DiagonalGaussian(Var mean, Var logvar) {
        this.mean = mean;
        this.logvar = Ops.clamp(logvar, -30, 20);
    }

    public Var mean() {
        return mean;
    }

    /** z = mean + exp(logvar / 2) * eps: the reparameterisation trick, so gradients reach mean and logvar. */
    public Var sample(INDArray eps) {
        return Ops.add(mean, Ops.mul(Ops.exp(Ops.scale(logvar, 0.5)), Var.constant(eps)));
    }

    /** KL(q || N(0, I)) = 1/2 sum(mean^2 + var - 1 - logvar), averaged over the batch. */
    public Var kl() {
        Var perElement = Ops.sub(Ops.add(Ops.mul(mean, mean), Ops.exp(logvar)), Ops.add(logvar, Var.constant(one())));
        long perSample = mean.value().length() / mean.shape()[0];
        return Ops.scale(Ops.mean(perElement), 0.5 * perSample);
    }

    private INDArray one() {
        return mean.value().ulike().assign(1.0);
    }
}
