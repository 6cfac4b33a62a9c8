package org.ldmlab.ldm;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.ldmlab.autoencoder.KlAutoencoder;
import org.ldmlab.autoencoder.LatentSpace;
import org.ldmlab.data.ImageTensors;
import org.ldmlab.data.RenderedSample;
import org.ldmlab.data.ShapesDataset;
import org.ldmlab.io.ProgressBar;
import org.ldmlab.train.StepSeed;
import org.ldmlab.nn.Arena;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training latents computed once, since the autoencoder is frozen while the diffusion model trains (LDM section 3):
 * z = scaleFactor * mean of q(z | x) for {@code size} training images, with each image's caption, and for inpainting
 * the concat conditioning [E(x (1 - m)) * scaleFactor, m at latent resolution] with a drawn mask m. The scale
 * factor is 1 / std of the latents (LDM section 3.1, as Stable Diffusion's 0.18215 was found).
 *
 * @param latents [N, c, h, w]
 * @param concat  [N, c + 1, h, w] for inpainting, else null
 */
public record LatentPool(INDArray latents, INDArray concat, List<String> captions, double scaleFactor) {
    private static final int CHUNK = 64;
    /** The {@link Arena} a chunk is encoded in: without it, encoding the default pool left ~2 GB resident. */
    private static final String ENCODING = "ldmlab-encoding";

    /** Encodes the first {@code size} samples of {@code data}, with a progress bar on standard error. */
    public static LatentPool encode(KlAutoencoder ae, ShapesDataset data, int size, boolean inpaint, long seed) {
        LatentSpace unscaled = new LatentSpace(ae, 1.0);
        List<INDArray> latents = new ArrayList<>();
        List<INDArray> kept = new ArrayList<>();
        List<INDArray> masks = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(StepSeed.of(seed, -1));
        try (ProgressBar bar = new ProgressBar("encode latents", (size + CHUNK - 1) / CHUNK, System.err)) {
            for (int start = 0; start < size; start += CHUNK) {
                List<RenderedSample> samples = IntStream.range(start, Math.min(size, start + CHUNK)).mapToObj(data::sample).toList();
                samples.forEach(s -> captions.add(s.caption()));
                try (var arena = Arena.open(ENCODING)) { // the encoder's activations, reset for every chunk
                    INDArray x = ImageTensors.toTensorOf(samples); // [n, 3, 32, 32]
                    latents.add(unscaled.encode(x).detach()); // [n, c, h, w], out of the arena
                    if (inpaint) {
                        INDArray m = Nd4j.concat(0, samples.stream().map(s -> InpaintingMasks.draw(s, random)).toArray(INDArray[]::new));
                        kept.add(unscaled.encode(x.mul(m.rsub(1.0))).detach());
                        masks.add(InpaintingMasks.toLatentResolution(m, ae.config().factor()).detach());
                    }
                }
                bar.step();
            }
        } finally {
            Arena.free(ENCODING);
        }
        INDArray z = Nd4j.concat(0, latents.toArray(INDArray[]::new)); // [N, c, h, w]
        double scale = LatentSpace.fitScaleFactor(z);
        INDArray concat = inpaint ? Nd4j.concat(1, Nd4j.concat(0, kept.toArray(INDArray[]::new)).muli(scale),
                Nd4j.concat(0, masks.toArray(INDArray[]::new))) : null; // [N, c + 1, h, w]
        return new LatentPool(z.muli(scale), concat, captions, scale);
    }

    public int size() {
        return captions.size();
    }

    /** The given rows of a pooled tensor [N, ...] -> [rows, ...]. */
    static INDArray rows(INDArray pooled, int[] rows) {
        long[] s = pooled.shape();
        long[] out = s.clone();
        out[0] = rows.length;
        INDArray flat = pooled.reshape(s[0], -1); // [N, c h w], a view with its own native buffer handle
        INDArray picked = Nd4j.pullRows(flat, 1, rows); // [rows, c h w]
        // pullRows hands only the view's native handle to C++; nothing else keeps the view alive, and a garbage
        // collection during the call freed the handle under it (a JVM crash in DataBuffer::primary seen once in
        // train ldm with -Xmx384m, at step ~1,300). The fence keeps the view reachable until the call has returned.
        Reference.reachabilityFence(flat);
        return picked.reshape(out);
    }
}
