package org.ldmlab.ldm;

import java.util.SplittableRandom;
import org.ldmlab.data.Mask;
import org.ldmlab.data.RenderedSample;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Masks for training and using the inpainting model (1 = the region to fill): half the time the box around one
 * of the sample's objects, grown by two pixels (so the model learns to redraw what a caption names), otherwise a
 * random rectangle of 8 to 20 pixels a side.
 */
public final class InpaintingMasks {
    private InpaintingMasks() {}

    /** A training mask for {@code sample}, [1, 1, H, W] of 0/1. */
    public static INDArray draw(RenderedSample sample, SplittableRandom random) {
        int size = sample.image().getWidth();
        if (random.nextBoolean()) {
            Mask object = sample.masks().get(random.nextInt(sample.masks().size()));
            return box(object, 2, size);
        }
        int w = 8 + random.nextInt(13);
        int h = 8 + random.nextInt(13);
        int x = random.nextInt(size - w + 1);
        int y = random.nextInt(size - h + 1);
        return rectangle(x, y, w, h, size);
    }

    /** The bounding box of {@code mask}, grown by {@code margin} pixels, as a [1, 1, H, W] 0/1 mask. */
    public static INDArray box(Mask mask, int margin, int size) {
        INDArray pixels = Nd4j.zeros(DataType.FLOAT, mask.height(), mask.width());
        for (int y = 0; y < mask.height(); y++) {
            for (int x = 0; x < mask.width(); x++) {
                pixels.putScalar(y, x, mask.get(x, y) ? 1 : 0);
            }
        }
        return box(pixels, margin, size);
    }

    /** The bounding box of the non-zero pixels of {@code mask} [H, W], grown by {@code margin} pixels, as [1, 1, H, W]. */
    public static INDArray box(INDArray mask, int margin, int size) {
        int minX = size;
        int minY = size;
        int maxX = -1;
        int maxY = -1;
        for (int y = 0; y < mask.size(0); y++) {
            for (int x = 0; x < mask.size(1); x++) {
                if (mask.getDouble(y, x) != 0) {
                    minX = Math.min(minX, x);
                    minY = Math.min(minY, y);
                    maxX = Math.max(maxX, x);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        int x0 = Math.max(0, minX - margin);
        int y0 = Math.max(0, minY - margin);
        return rectangle(x0, y0, Math.min(size, maxX + margin + 1) - x0, Math.min(size, maxY + margin + 1) - y0, size);
    }

    private static INDArray rectangle(int x, int y, int w, int h, int size) {
        INDArray m = Nd4j.zeros(DataType.FLOAT, 1, 1, size, size);
        m.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(y, y + h),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(x, x + w)).assign(1);
        return m;
    }

    /** The mask at latent resolution: the share of masked pixels in each f x f cell, [B, 1, H/f, W/f]. */
    public static INDArray toLatentResolution(INDArray masks, int factor) {
        long b = masks.size(0);
        long h = masks.size(2) / factor;
        long w = masks.size(3) / factor;
        return masks.reshape(b, 1, h, factor, w, factor).mean(3, 5).reshape(b, 1, h, w);
    }

    /** The conditioning of the inpainting UNet: [E(x (1 - m)) * scale, m at latent resolution], [B, c + 1, h, w]. */
    public static INDArray conditioning(org.ldmlab.autoencoder.LatentSpace latents, INDArray images, INDArray masks) {
        INDArray kept = images.mul(masks.rsub(1.0)); // masked-out pixels become 0 (mid grey)
        return Nd4j.concat(1, latents.encode(kept), toLatentResolution(masks, latents.autoencoder().config().factor()));
    }
}
