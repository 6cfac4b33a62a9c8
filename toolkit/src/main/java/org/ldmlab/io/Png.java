package org.ldmlab.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Writes images as PNG: lossless, the same image always gives the same bytes, and a file appears whole. */
public final class Png {
    private Png() {}

    /** Writes {@code file} atomically (temporary file + rename). */
    public static void write(BufferedImage image, Path file) throws IOException {
        AtomicFiles.write(file, out -> write(image, out));
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
