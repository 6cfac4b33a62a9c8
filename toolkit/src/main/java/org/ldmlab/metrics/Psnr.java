package org.ldmlab.metrics;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Peak signal-to-noise ratio, PSNR = 10 log10(MAX^2 / MSE), for images in [-1, 1] (MAX = 2, i.e. 1 on [0, 1]). */
public final class Psnr {
    private Psnr() {}

    /** PSNR in dB over all pixels of two equally shaped image batches in [-1, 1]; the reconstruction is clipped first. */
    public static double of(INDArray reference, INDArray reconstruction) {
        INDArray clipped = org.nd4j.linalg.ops.transforms.Transforms.min(
                org.nd4j.linalg.ops.transforms.Transforms.max(reconstruction, -1.0, true), 1.0, false);
        INDArray diff = reference.sub(clipped);
        double mse = diff.mul(diff).meanNumber().doubleValue();
        return 10 * Math.log10(4.0 / mse);
    }

    /**
     * PSNR in dB over the pixels where {@code mask} [H, W] is 1, of two images [3, H, W] in [-1, 1] (the second clipped);
     * NaN for an empty mask, infinite for equal pixels. Prompt-to-Prompt's "the rest preserved" (Hertz et al. 2022).
     */
    public static double within(INDArray reference, INDArray image, INDArray mask) {
        double pixels = mask.sumNumber().doubleValue();
        if (pixels == 0) {
            return Double.NaN;
        }
        INDArray clipped = org.nd4j.linalg.ops.transforms.Transforms.min(
                org.nd4j.linalg.ops.transforms.Transforms.max(image, -1.0, true), 1.0, false);
        INDArray squared = reference.sub(clipped);
        squared.muli(squared);                                                            // [3, H, W]
        double sse = squared.sum(0).muli(mask.castTo(squared.dataType())).sumNumber().doubleValue();
        return 10 * Math.log10(4.0 / (sse / (pixels * reference.size(0))));
    }

    /** How many test images {@link #ofAutoencoder} reconstructs. */
    public static final int TEST_IMAGES = 256;

    /** PSNR of D(E(x)) over the first {@link #TEST_IMAGES} test-split images of dataset seed + 1, latent = posterior mean. */
    public static double ofAutoencoder(org.ldmlab.autoencoder.KlAutoencoder ae, long seed) {
        org.ldmlab.data.ShapesDataset test = new org.ldmlab.data.ShapesDataset(seed + 1, org.ldmlab.data.Split.TEST);
        INDArray x = org.ldmlab.data.ImageTensors.toTensor(java.util.stream.IntStream.range(0, TEST_IMAGES)
                .mapToObj(i -> test.sample(i).image()).toList());
        org.ldmlab.autoencoder.LatentSpace space = new org.ldmlab.autoencoder.LatentSpace(ae, 1.0);
        return of(x, space.decode(space.encode(x)));
    }
}
