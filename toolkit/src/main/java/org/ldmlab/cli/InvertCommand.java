package org.ldmlab.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.ldmlab.data.ImageTensors;
import org.ldmlab.io.AtomicFiles;
import org.ldmlab.io.ImageFile;
import org.ldmlab.io.Png;
import org.ldmlab.io.ProgressBar;
import org.ldmlab.ldm.ImageInversion;
import org.ldmlab.ldm.Inversion;
import org.ldmlab.ldm.InversionSettings;
import org.ldmlab.ldm.Models;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** {@code ldmlab invert}: a real image into the model by DDIM inversion (optionally null-text inversion), and back. */
final class InvertCommand implements Command {
    /** The input image as the models see it (32x32), written beside the inversion for `ldmlab edit --inverted`. */
    static final String INPUT = "image.png";

    @Override
    public String name() {
        return "invert";
    }

    @Override
    public String summary() {
        return "invert a real image (DDIM inversion, optionally null-text inversion) and reconstruct it; prints the round-trip error";
    }

    @Override
    public String usage() {
        return """
                ldmlab invert --image IMG.png --caption TEXT --out DIR [--guidance 3] [--steps 50] [--null-text] [--inversion-guidance 1] [--resize] [--model PATH] [--classifier PATH]
                  runs DDIM backwards from the image's latent z_0 to z_T under its caption, then samples z_T -> z_0 again with
                  --guidance (DDIM, eta 0) and decodes it; writes DIR/reconstruction.png, DIR/image.png (the input), DIR/zT.npy and DIR/z0.npy [1, c, h, w],
                  DIR/inversion.txt (caption and settings; `ldmlab edit --inverted DIR` edits from it) and, with --null-text,
                  DIR/null_text.npy [steps, tokens, width]; prints the latent MSE and the PSNR of the round trip
                  IMG                  32x32 RGB (or a square multiple of 32, e.g. `ldmlab render --scale`); --resize scales another size
                  --inversion-guidance the scale DDIM inversion runs at (1: the caption alone, null-text inversion's pivot)
                  --null-text          fit one unconditional embedding per step so that sampling at --guidance retraces the
                                       inversion (Mokady et al. 2023); takes about ten backbone passes per step""";
    }

    @Override
    public int run(Args args, PrintStream out) throws IOException {
        Path imagePath = Path.of(args.required("image", "the image to invert (32x32 PNG)"));
        String caption = args.required("caption", "a caption that describes the image, e.g. \"a big red circle on the left\"");
        Path dir = Path.of(args.required("out", "the folder for the reconstruction and the inverted latents"));
        InversionSettings settings = new InversionSettings(args.integer("steps", 50), args.number("guidance", 3),
                args.number("inversion-guidance", 1), args.flag("null-text"));
        boolean resize = args.flag("resize");
        String model = args.string("model", null);
        String classifier = args.string("classifier", null);
        args.requireAllUsed();
        INDArray image = ImageTensors.toTensor(List.of(ImageFile.read(imagePath, "--image", resize))); // [1, 3, 32, 32]
        AtomicFiles.checkNewFolder(dir);
        Models.Pipeline pipeline = Models.loadPipeline(Models.resolve(model, Models.LDM), Models.LDM);
        ImageInversion inversion = ImageInversion.of(pipeline);
        inversion.check(image, List.of(caption), settings);
        CaptionCheck.warnIfUnlike(image, caption, classifier, System.err);

        long start = System.nanoTime();
        Inversion inverted;
        try (ProgressBar bar = new ProgressBar("invert", (settings.nullText() ? 2L : 1L) * settings.steps(), System.err)) {
            inverted = inversion.invert(image, List.of(caption), settings, (i, t, z, x0) -> bar.step("t=" + t)).get(0);
        }
        double invertSeconds = (System.nanoTime() - start) / 1e9;
        start = System.nanoTime();
        ImageInversion.RoundTrip trip;
        try (ProgressBar bar = new ProgressBar("reconstruct", settings.steps(), System.err)) {
            trip = inversion.roundTrip(image, List.of(inverted), (i, t, z, x0) -> bar.step("t=" + t));
        }
        double sampleSeconds = (System.nanoTime() - start) / 1e9;
        AtomicFiles.writeFolder(dir, folder -> {
            Png.write(ImageTensors.toImage(trip.reconstruction().get(NDArrayIndex.point(0))), folder.resolve("reconstruction.png"));
            Png.write(ImageTensors.toImage(image.get(NDArrayIndex.point(0))), folder.resolve(INPUT));
            inverted.save(folder);
        });
        out.printf("%s: latent MSE %.5f, PSNR %.2f dB (the autoencoder alone: %.2f dB); inverted in %.1f s, reconstructed in %.1f s%n",
                settings.describe(), trip.latentMse()[0], trip.psnr()[0], inversion.autoencoderPsnr(image)[0], invertSeconds, sampleSeconds);
        out.printf("wrote reconstruction.png, image.png, %s, z0.npy, zT.npy%s to %s%n", Inversion.DESCRIPTION, settings.nullText() ? ", null_text.npy" : "", dir);
        return 0;
    }
}
