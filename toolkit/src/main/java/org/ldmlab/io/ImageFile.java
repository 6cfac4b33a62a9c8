package org.ldmlab.io;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.ldmlab.InvalidInputException;

/**
 * Reads the pictures commands take as input: the models' 32x32 RGB images (an alpha channel is dropped), or a square
 * multiple of 32 (e.g. {@code ldmlab render}'s upscaled output), read at every k-th pixel. Any other size is refused
 * with what is expected, unless the user asks for a resize.
 */
public final class ImageFile {
    /** The side of every image the models see. */
    public static final int SIZE = 32;
    /**
     * The longest side read: {@code render --scale 64} makes 2048; a 4096 x 4096 image takes 64 MB. A file's header can
     * claim any size in a few bytes, and ImageIO allocates all its pixels before it reads them.
     */
    private static final int MAX_SIDE = 4096;

    private ImageFile() {}

    /**
     * @param option the option that named the file, for messages (e.g. "--image")
     * @param resize scale any other size to 32x32 (bilinear) instead of refusing it
     */
    public static BufferedImage read(Path path, String option, boolean resize) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new InvalidInputException(option + ": no file " + path);
        }
        checkSize(path, option);
        BufferedImage in;
        try {
            in = ImageIO.read(path.toFile());
        } catch (IOException e) { // e.g. a truncated PNG
            throw new InvalidInputException(option + ": " + path + " could not be read as an image (" + e.getMessage() + ")");
        }
        if (in == null) {
            throw new InvalidInputException(option + ": " + path + " is not an image ImageIO can read (use PNG)");
        }
        boolean multiple = in.getWidth() == in.getHeight() && in.getWidth() % SIZE == 0;
        if (!multiple && !resize) {
            throw new InvalidInputException(option + ": " + path + " is " + in.getWidth() + "x" + in.getHeight()
                    + "; the models work on 32x32 RGB images (or square multiples of 32); add --resize to scale it to 32x32");
        }
        BufferedImage out = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        if (multiple) {
            int k = in.getWidth() / SIZE;
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    out.setRGB(x, y, in.getRGB(x * k + k / 2, y * k + k / 2));
                }
            }
        } else {
            var g = out.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(in, 0, 0, SIZE, SIZE, null);
            g.dispose();
        }
        return out;
    }

    /** Refuses an image whose header claims more than {@link #MAX_SIDE} pixels a side, before its pixels are read. */
    private static void checkSize(Path path, String option) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(path.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                return; // not an image: ImageIO.read says so
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width > MAX_SIDE || height > MAX_SIDE) {
                    throw new InvalidInputException(option + ": " + path + " is " + width + "x" + height + "; images up to "
                            + MAX_SIDE + "x" + MAX_SIDE + " are read (the models work on 32x32)");
                }
            } catch (IOException unreadableHeader) {
                // ImageIO.read reports it
            } finally {
                reader.dispose();
            }
        }
    }
}
