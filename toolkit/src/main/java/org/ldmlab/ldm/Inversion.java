package org.ldmlab.ldm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ldmlab.InvalidInputException;
import org.ldmlab.checkpoint.Npy;
import org.ldmlab.io.AtomicFiles;
import org.ldmlab.io.Settings;
import org.ldmlab.sampling.SamplerKind;
import org.ldmlab.sampling.SamplerSettings;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One image inverted ({@link ImageInversion}): its caption, how it was inverted, the image's latent z_0 = E(x), the
 * latent z_T that DDIM sampling from it starts at, and, after null-text inversion, the unconditional embedding of each
 * sampling step.
 *
 * @param z0       [1, c, h, w]
 * @param zT       [1, c, h, w]
 * @param nullText [S, M, d] (index k: the sampler's step k), or null for plain DDIM inversion
 */
public record Inversion(String caption, InversionSettings settings, INDArray z0, INDArray zT, INDArray nullText) {
    /** Null-text inversion's embedding for sampling step k, [1, M, d]. */
    public INDArray nullTextAt(int k) {
        return nullText.get(NDArrayIndex.point(k)).reshape(1, nullText.size(1), nullText.size(2));
    }

    /** The same start under another caption: sampling from it resamples the image with that caption, nothing injected. */
    public Inversion withCaption(String other) {
        return new Inversion(other, settings, z0, zT, nullText);
    }

    /** How to sample from this inversion: deterministic DDIM with its steps and guidance. */
    public SamplerSettings sampler() {
        return new SamplerSettings(SamplerKind.DDIM, settings.steps(), 0, settings.guidance());
    }

    /**
     * Refuses sampling settings that would not retrace this inversion: other steps (the trajectory and the embeddings
     * are per step), or another guidance scale when null-text embeddings were fitted to this one.
     */
    public void check(SamplerSettings sampling) {
        if (sampling.steps() != settings.steps()) {
            throw new InvalidInputException("the image was inverted with " + settings.steps() + " steps; sample from it with --steps "
                    + settings.steps() + " (got " + sampling.steps() + ")");
        }
        if (nullText != null && sampling.guidance() != settings.guidance()) {
            throw new InvalidInputException("the null-text embeddings were fitted for guidance " + settings.guidance()
                    + "; sample from them with --guidance " + settings.guidance() + " (got " + sampling.guidance() + ")");
        }
    }

    /** The file that describes a saved inversion; the tensors sit beside it as .npy files numpy reads. */
    public static final String DESCRIPTION = "inversion.txt";

    /**
     * Writes the inversion into {@code folder} (which exists): {@value #DESCRIPTION} (caption and settings), z0.npy and
     * zT.npy [1, c, h, w], and with null-text inversion null_text.npy [S, M, d].
     */
    public void save(Path folder) throws IOException {
        String text = "caption=" + caption + "\nsteps=" + settings.steps() + "\nguidance=" + settings.guidance()
                + "\ninversion_guidance=" + settings.inversionGuidance() + "\nnull_text=" + (nullText != null) + "\n";
        AtomicFiles.writeString(folder.resolve(DESCRIPTION), text);
        AtomicFiles.write(folder.resolve("z0.npy"), out -> out.write(Npy.toBytes(z0)));
        AtomicFiles.write(folder.resolve("zT.npy"), out -> out.write(Npy.toBytes(zT)));
        if (nullText != null) {
            AtomicFiles.write(folder.resolve("null_text.npy"), out -> out.write(Npy.toBytes(nullText)));
        }
    }

    /** Reads an inversion {@link #save}d into {@code folder}; anything missing or malformed is a one-line reason. */
    public static Inversion load(Path folder) throws IOException {
        Path description = folder.resolve(DESCRIPTION);
        if (!Files.isRegularFile(description)) {
            throw new InvalidInputException(folder + " holds no saved inversion (no " + DESCRIPTION + "); make one with `ldmlab invert`");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(description)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        Settings s = new Settings(description.toString(), values);
        boolean nullText = Boolean.parseBoolean(s.string("null_text"));
        InversionSettings settings = new InversionSettings(s.integer("steps"), s.number("guidance"), s.number("inversion_guidance"), nullText);
        INDArray z0 = tensor(folder.resolve("z0.npy"));
        INDArray zT = tensor(folder.resolve("zT.npy"));
        INDArray embeddings = nullText ? tensor(folder.resolve("null_text.npy")) : null;
        if (z0.rank() != 4 || z0.size(0) != 1 || !java.util.Arrays.equals(z0.shape(), zT.shape())
                || (embeddings != null && (embeddings.rank() != 3 || embeddings.size(0) != settings.steps()))) {
            throw new InvalidInputException(folder + ": the saved tensors do not fit together (z0 " + java.util.Arrays.toString(z0.shape())
                    + ", zT " + java.util.Arrays.toString(zT.shape()) + (embeddings == null ? "" : ", null_text " + java.util.Arrays.toString(embeddings.shape()))
                    + " for " + settings.steps() + " steps)");
        }
        return new Inversion(s.string("caption"), settings, z0, zT, embeddings);
    }

    private static INDArray tensor(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("the saved inversion has no " + file.getFileName() + " (" + file + ")");
        }
        try {
            INDArray x = Npy.fromBytes(Files.readAllBytes(file));
            if (!Double.isFinite(x.sumNumber().doubleValue())) {
                throw new InvalidInputException(file + " holds non-finite numbers");
            }
            return x;
        } catch (IOException e) {
            throw new InvalidInputException(file + " is not a readable .npy file: " + e.getMessage());
        }
    }
}
