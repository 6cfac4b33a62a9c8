package org.ldmlab.io;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.ldmlab.InvalidInputException;

/**
 * Reads the pictures commands take as input: the models' 32x32 RGB images (an alpha channel is dropped), or a square
 * multiple of 32 (e.g. {@code ldmlab render}'s upscaled output), read at every k-th pixel. Any other size is refused
 * with what is expected, unless the user asks for a resize.
 */
public final class ImageFile {
    /** The side of every image the models see. */
    public static final int SIZE = 32;

    private ImageFile() {}

    /**
     * @param option the option that named the file, for messages (e.g. "--image")
     * @param resize scale any other size to 32x32 (bilinear) instead of refusing it
     */
    public static BufferedImage read(Path path, String option, boolean resize) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new InvalidInputException(option + ": no file " + path);
        }
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
}
