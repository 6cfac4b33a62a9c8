package org.ldmlab.cli;

import static org.ldmlab.InvalidInputException.shorten;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
            throw new InvalidInputException("--out must name a .png file, got '" + shorten(file) + "'");
        }
        if (scale < 1 || scale > MAX_SCALE) {
            throw new InvalidInputException("--scale must be between 1 and " + MAX_SCALE + ", got " + scale);
        }
        RenderedSample sample = Renderer.render(CaptionGrammar.parse(caption), new SplittableRandom(seed));
        Path image = Path.of(file);
        Map<Path, AtomicFiles.Writer> files = new LinkedHashMap<>();
        files.put(image, png(sample.image(), scale));
        for (int k = 0; k < sample.masks().size(); k++) {
            files.put(mask(image, k), png(sample.masks().get(k).toImage(), scale));
        }
        List<Path> stale = staleMasks(image, sample.masks().size());
        AtomicFiles.writeAll(files); // the image and its masks appear together or not at all
        for (Path p : stale) {
            Files.deleteIfExists(p);
        }
        out.printf("wrote %s and %d mask(s): %s%n", file, sample.masks().size(), sample.caption());
        return 0;
    }

    /** FILE_mask_K.png beside FILE.png. */
    private static Path mask(Path image, int k) {
        return image.resolveSibling(stem(image) + "_mask_" + k + ".png");
    }

    private static String stem(Path image) {
        String name = image.getFileName().toString();
        return name.substring(0, name.length() - ".png".length());
    }

    /** The mask files of an earlier render to the same path that this one does not replace (its objects were more). */
    private static List<Path> staleMasks(Path image, int masks) throws IOException {
        Path folder = image.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        Pattern name = Pattern.compile(Pattern.quote(stem(image)) + "_mask_(\\d{1,9})\\.png");
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(p -> {
                Matcher m = name.matcher(p.getFileName().toString());
                return m.matches() && Integer.parseInt(m.group(1)) >= masks && Files.isRegularFile(p);
            }).map(p -> image.resolveSibling(p.getFileName())).toList();
        }
    }

    private static AtomicFiles.Writer png(BufferedImage image, int scale) {
        BufferedImage enlarged = enlarge(image, scale);
        return out -> Png.write(enlarged, out);
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
