package org.ldmlab.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.ldmlab.InvalidInputException;
import org.ldmlab.data.CaptionGrammar;
import org.ldmlab.data.RenderedSample;
import org.ldmlab.data.Renderer;
import org.ldmlab.io.AtomicFiles;
import org.ldmlab.io.Png;

/** {@code ldmlab render}: draws one caption, enlarged for viewing, with a mask file per object beside it. */
final class RenderCommand implements Command {
    private static final int MAX_SCALE = 64;

    @Override
    public String name() {
        return "render";
    }

    @Override
    public String summary() {
        return "draw one caption of the shapes dataset to a PNG, with its object masks";
    }

    @Override
    public String usage() {
        return """
                ldmlab render --caption TEXT --out FILE.png [--seed S] [--scale K]
                  --caption TEXT  e.g. "a big red circle on the left" or "a small red circle above a big blue square"
                  --out FILE.png  the image to write; masks go beside it as FILE_mask_0.png (and _1 for a second object)
                  --seed S        picks the small size and position jitter (default 0)
                  --scale K       enlarge each pixel to K x K pixels for viewing (default 8, at most 64)""";
    }

    @Override
    public int run(Args args, PrintStream out) throws Exception {
        String caption = args.required("caption", "what to draw, e.g. \"a big red circle on the left\"");
        String file = args.required("out", "the .png file to write");
        long seed = args.longValue("seed", 0);
        int scale = args.integer("scale", 8);
        args.requireAllUsed();
        if (!file.endsWith(".png")) {
            throw new InvalidInputException("--out must name a .png file, got '" + file + "'");
        }
        if (scale < 1 || scale > MAX_SCALE) {
            throw new InvalidInputException("--scale must be between 1 and " + MAX_SCALE + ", got " + scale);
        }
        RenderedSample sample = Renderer.render(CaptionGrammar.parse(caption), new SplittableRandom(seed));
        String stem = file.substring(0, file.length() - ".png".length());
        write(sample.image(), scale, Path.of(file));
        for (int k = 0; k < sample.masks().size(); k++) {
            write(sample.masks().get(k).toImage(), scale, Path.of(stem + "_mask_" + k + ".png"));
        }
        out.printf("wrote %s and %d mask(s): %s%n", file, sample.masks().size(), sample.caption());
        return 0;
    }

    private static void write(BufferedImage image, int scale, Path file) throws IOException {
        BufferedImage enlarged = enlarge(image, scale);
        AtomicFiles.write(file, out -> Png.write(enlarged, out));
    }

    /** Nearest-neighbour enlargement: each pixel becomes a scale x scale block, edges stay hard. */
    private static BufferedImage enlarge(BufferedImage image, int scale) {
        BufferedImage big = new BufferedImage(image.getWidth() * scale, image.getHeight() * scale, image.getType());
        for (int y = 0; y < big.getHeight(); y++) {
            for (int x = 0; x < big.getWidth(); x++) {
                big.setRGB(x, y, image.getRGB(x / scale, y / scale));
            }
        }
        return big;
    }
}
