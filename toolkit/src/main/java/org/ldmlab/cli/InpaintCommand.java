package org.ldmlab.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.ldmlab.InvalidInputException;
import org.ldmlab.data.ImageTensors;
import org.ldmlab.io.AtomicFiles;
import org.ldmlab.io.ImageFile;
import org.ldmlab.io.Png;
import org.ldmlab.io.ProgressBar;
import org.ldmlab.ldm.Inpainting;
import org.ldmlab.ldm.Models;
import org.ldmlab.ldm.TextToImage;
import org.ldmlab.sampling.SamplerKind;
import org.ldmlab.sampling.SamplerSettings;
import org.ldmlab.viz.ImageGrid;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code ldmlab inpaint}: fills the masked part of an image to match a caption, with the hybrid inpainting model
 * (masked image and mask enter by concatenation, the caption by cross-attention), then pastes the result into
 * the original outside the mask.
 */
final class InpaintCommand implements Command {
    private static final int SIZE = ImageFile.SIZE;

    @Override
    public String name() {
        return "inpaint";
    }

    @Override
    public String summary() {
        return "fill a masked region to match a caption (concat + cross-attention conditioning)";
    }

    @Override
    public String usage() {
        return """
                ldmlab inpaint --image IMG.png --mask MASK.png --prompt TEXT --out DIR [--model PATH] [--n 4] [--steps 50] [--guidance 3] [--seed 1]
                  IMG and MASK are 32x32 (or a multiple, e.g. the output of `ldmlab render`); white in MASK = fill
                  writes DIR/0.png .. DIR/<n-1>.png and DIR/grid.png (image, mask, masked input, results)""";
    }

    @Override
    public int run(Args args, PrintStream out) throws IOException {
        Path imagePath = Path.of(args.required("image", "the image to edit"));
        Path maskPath = Path.of(args.required("mask", "a mask image, white where to fill"));
        String prompt = args.required("prompt", "what the filled image shows");
        Path dir = Path.of(args.required("out", "the folder for the results"));
        String model = args.string("model", null);
        int n = args.integer("n", 4);
        SamplerSettings settings = new SamplerSettings(SamplerKind.DDIM, args.integer("steps", 50), 0, args.number("guidance", 3));
        long seed = args.longValue("seed", 1);
        args.requireAllUsed();
        if (n < 1 || n > 64) {
            throw new InvalidInputException("--n must be between 1 and 64; got " + n);
        }
        AtomicFiles.checkNewFolder(dir); // a bad --out fails now, not after the sampling
        BufferedImage image = ImageFile.read(imagePath, "--image", false);
        BufferedImage maskImage = ImageFile.read(maskPath, "--mask", false);
        Models.Pipeline pipeline = Models.loadPipeline(Models.resolve(model, Models.INPAINT), Models.INPAINT);
        TextToImage t2i = TextToImage.of(pipeline);
        t2i.diffusion().tokenizer().encode(prompt);
        settings.create(t2i.diffusion().schedule());

        INDArray x = ImageTensors.toTensor(Collections.nCopies(n, image));  // [n, 3, 32, 32]
        INDArray m = masks(maskImage, n);                                  // [n, 1, 32, 32], 1 = fill
        INDArray result;
        try (ProgressBar bar = new ProgressBar("inpaint", settings.steps(), System.err)) {
            result = new Inpainting(pipeline).fill(x, m, Collections.nCopies(n, prompt), settings, seed, (i, t, z, z0) -> bar.step("t=" + t));
        }
        List<BufferedImage> results = ImageTensors.pictures(result);
        List<BufferedImage> cells = new ArrayList<>(List.of(image, maskImage,
                ImageTensors.pictures(x.mul(m.rsub(1.0))).get(0))); // the masked input the model sees
        cells.addAll(results);
        AtomicFiles.writeFolder(dir, folder -> {
            for (int i = 0; i < n; i++) {
                Png.write(results.get(i), folder.resolve(i + ".png"));
            }
            Png.write(new ImageGrid(cells, cells.size()).scale(4).title("inpaint: " + prompt).render(), folder.resolve("grid.png"));
        });
        out.printf("wrote %d inpainted images and grid.png to %s%n", n, dir);
        return 0;
    }

    /** 1 where the mask picture is bright (grey level > 127), repeated n times: [n, 1, 32, 32]. */
    private static INDArray masks(BufferedImage mask, int n) {
        float[] data = new float[SIZE * SIZE];
        int on = 0;
        for (int i = 0; i < data.length; i++) {
            int rgb = mask.getRGB(i % SIZE, i / SIZE);
            int grey = (((rgb >> 16) & 255) + ((rgb >> 8) & 255) + (rgb & 255)) / 3;
            data[i] = grey > 127 ? 1f : 0f;
            on += grey > 127 ? 1 : 0;
        }
        if (on == 0) {
            throw new InvalidInputException("--mask has no white pixels: nothing to fill (white = the region to fill)");
        }
        return org.nd4j.linalg.factory.Nd4j.create(data, new long[] {1, 1, SIZE, SIZE}, org.nd4j.linalg.api.buffer.DataType.FLOAT)
                .repeat(0, n);
    }
}
