package org.ldmlab.autoencoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ldmlab.nn.GradCheck.checkModule;
import static org.ldmlab.nn.GradCheck.randn;

import org.junit.jupiter.api.Test;
import org.ldmlab.nn.Init;
import org.ldmlab.nn.Ops;
import org.ldmlab.nn.Var;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class KlAutoencoderTest {
    @Test
    void theDefaultCompressesBy4To8x8x4() {
        KlAutoencoder ae = new KlAutoencoder(AutoencoderConfig.defaults(), 1);
        assertEquals(4, ae.config().factor());
        try (var off = Var.noGrad()) {
            DiagonalGaussian q = ae.encode(Var.constant(Nd4j.rand(DataType.FLOAT, 2, 32, 32, 3)));
            assertArrayEquals(new long[] {2, 8, 8, 4}, q.mean().shape());
            assertArrayEquals(new long[] {2, 32, 32, 3}, ae.decode(q.mean()).shape());
        }
    }

    @Test
    void klOfTheStandardNormalIsZeroAndGrowsAwayFromIt() {
        Var zeros = Var.constant(Nd4j.zeros(DataType.DOUBLE, 2, 2, 2, 3));
        assertEquals(0.0, new DiagonalGaussian(zeros, zeros).kl().value().getDouble(0), 1e-12);
        Var ones = Var.constant(Nd4j.ones(DataType.DOUBLE, 2, 2, 2, 3));
        // per element 1/2 (mean^2 + var - 1 - logvar) = 1/2 with mean 1, logvar 0; 12 elements per sample
        assertEquals(6.0, new DiagonalGaussian(ones, zeros).kl().value().getDouble(0), 1e-12);
    }

    @Test
    void gradientsOfEncoderDecoderAndLossMatchFiniteDifferences() {
        AutoencoderConfig tiny = new AutoencoderConfig(3, 2, new int[] {4, 4}, 2, 0.1);
        KlAutoencoder ae = new KlAutoencoder(tiny, new Init(1, DataType.DOUBLE));
        INDArray eps = randn(8, 1, 2, 2, 2);
        checkModule("autoencoder", ae, randn(9, 1, 4, 4, 3), x -> {
            DiagonalGaussian q = ae.encode(x);
            return Ops.add(ae.decode(q.sample(eps)), Ops.reshape(q.kl(), 1, 1, 1, 1));
        }, 3);
    }
}
