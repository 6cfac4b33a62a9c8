package org.ldmlab.data;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ldmlab.InvalidInputException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Images to tensors and back. Networks see pixels as FLOAT in [-1, 1] (x / 127.5 - 1), channels first:
 * a batch is [B, 3, H, W] with channels R, G, B. Going back clamps to [-1, 1] and rounds, so a tensor a
 * model produced becomes a valid image, and an image survives the round trip exactly.
 */
public final class ImageTensors {
    private static final int CHANNELS = 3;
    private static final double HALF_RANGE = 127.5;

    private ImageTensors() {}

    /** A batch [B, 3, H, W] of FLOAT in [-1, 1]; all images must have the same size. */
    public static INDArray toTensor(List<BufferedImage> images) {
        if (images.isEmpty()) {
            throw new InvalidInputException("cannot make a tensor from no images");
        }
        int height = images.get(0).getHeight();
        int width = images.get(0).getWidth();
        float[] values = new float[images.size() * CHANNELS * height * width];
        for (int b = 0; b < images.size(); b++) {
            BufferedImage image = images.get(b);
            if (image.getHeight() != height || image.getWidth() != width) {
                throw new InvalidInputException("image " + b + " is " + image.getWidth() + "x" + image.getHeight()
                        + " but image 0 is " + width + "x" + height + "; a batch needs one size");
            }
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int rgb = image.getRGB(x, y);
                    for (int c = 0; c < CHANNELS; c++) {
                        int channelValue = (rgb >> (16 - 8 * c)) & 0xFF; // c = 0 red, 1 green, 2 blue
                        values[((b * CHANNELS + c) * height + y) * width + x] = (float) (channelValue / HALF_RANGE - 1);
                    }
                }
            }
        }
        return Nd4j.create(values, new long[] {images.size(), CHANNELS, height, width}, DataType.FLOAT);
    }

    /** The images of rendered samples: [N, 3, H, W] in [-1, 1]. */
    public static INDArray toTensorOf(List<RenderedSample> samples) {
        return toTensor(samples.stream().map(RenderedSample::image).toList());
    }

    /** The images of a [B, 3, H, W] batch as pictures. */
    public static List<BufferedImage> pictures(INDArray images) {
        List<BufferedImage> out = new ArrayList<>();
        for (int i = 0; i < images.size(0); i++) {
            out.add(toImage(images.get(NDArrayIndex.point(i))));
        }
        return out;
    }

    /** One image from a [3, H, W] tensor in [-1, 1]; values outside are clamped. */
    public static BufferedImage toImage(INDArray chw) {
        long[] shape = chw.shape();
        if (shape.length != 3 || shape[0] != CHANNELS) {
            throw new InvalidInputException("an image tensor is [3, H, W], got " + Arrays.toString(shape));
        }
        int height = (int) shape[1];
        int width = (int) shape[2];
        float[] values = Nd4j.toFlattened('c', chw).toFloatVector();
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = 0;
                for (int c = 0; c < CHANNELS; c++) {
                    rgb = (rgb << 8) | toChannelValue(values[(c * height + y) * width + x]);
                }
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    private static int toChannelValue(float value) {
        long rounded = Math.round((value + 1.0) * HALF_RANGE);
        return (int) Math.max(0, Math.min(255, rounded));
    }
}
