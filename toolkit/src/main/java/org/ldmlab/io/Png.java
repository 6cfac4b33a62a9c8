package org.ldmlab.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Writes images as PNG: lossless, and the same image always gives the same bytes. */
public final class Png {
    private Png() {}

    public static void write(BufferedImage image, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(image, out);
        }
    }

    public static void write(BufferedImage image, OutputStream out) throws IOException {
        // Buffer in memory: given a plain stream, ImageIO would otherwise spool every image through a temp file.
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            if (!ImageIO.write(image, "png", stream)) {
                throw new IOException("no PNG writer for image type " + image.getType());
            }
        }
    }
}
