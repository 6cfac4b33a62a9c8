package org.ldmlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ldmlab.InvalidInputException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ImageTensorsTest {
    @Test
    void imageToTensorToImageIsExact() {
        List<BufferedImage> images = new ArrayList<>();
        images.add(everyChannelValue());
        images.add(noise(5, 4, 1));
        images.add(new ShapesDataset(0, Split.TRAIN).sample(0).image());
        for (BufferedImage image : images) {
            INDArray batch = ImageTensors.toTensor(List.of(image));
            BufferedImage back = ImageTensors.toImage(batch.slice(0));
            assertArrayEquals(pixels(image), pixels(back));
        }
    }

    @Test
    void tensorsAreChannelsFirstFloatInMinusOneToOne() {
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        image.setRGB(2, 1, 0xFF8000); // red 255, green 128, blue 0 at x = 2, y = 1
        INDArray batch = ImageTensors.toTensor(List.of(image, image));
        assertArrayEquals(new long[] {2, 3, 2, 3}, batch.shape());
        assertEquals(DataType.FLOAT, batch.dataType());
        assertEquals(1.0, batch.getDouble(1, 0, 1, 2), 1e-6);
        assertEquals(128 / 127.5 - 1, batch.getDouble(1, 1, 1, 2), 1e-6);
        assertEquals(-1.0, batch.getDouble(1, 2, 1, 2), 1e-6);
        assertEquals(-1.0, batch.getDouble(0, 0, 0, 0), 1e-6);
    }

    @Test
    void outOfRangeValuesAreClampedAndRounded() {
        INDArray chw = Nd4j.create(new double[] {3.0, -7.0, 0.001}, new long[] {3, 1, 1}, DataType.DOUBLE);
        assertEquals(0xFF0080, ImageTensors.toImage(chw).getRGB(0, 0) & 0xFFFFFF);
    }

    @Test
    void wrongShapesAreRejected() {
        assertThrows(InvalidInputException.class, () -> ImageTensors.toImage(Nd4j.zeros(DataType.FLOAT, 1, 3, 2, 2)));
        assertThrows(InvalidInputException.class, () -> ImageTensors.toImage(Nd4j.zeros(DataType.FLOAT, 4, 2, 2)));
        assertThrows(InvalidInputException.class,
                () -> ImageTensors.toTensor(List.of(noise(2, 2, 0), noise(3, 2, 0))));
    }

    private static BufferedImage noise(int width, int height, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return image;
    }

    /** A 256 x 1 ramp: pixel x has red x, green 255 - x and blue x, so every channel value occurs. */
    private static BufferedImage everyChannelValue() {
        BufferedImage image = new BufferedImage(256, 1, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 256; x++) {
            image.setRGB(x, 0, (x << 16) | ((255 - x) << 8) | x);
        }
        return image;
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
