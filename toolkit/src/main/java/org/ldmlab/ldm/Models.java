package org.ldmlab.ldm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Set;
import org.ldmlab.InvalidInputException;
import org.ldmlab.autoencoder.AutoencoderConfig;
import org.ldmlab.autoencoder.KlAutoencoder;
import org.ldmlab.autoencoder.LatentSpace;
import org.ldmlab.checkpoint.Checkpoint;
import org.ldmlab.dit.DiTConfig;
import org.ldmlab.io.Settings;
import org.ldmlab.metrics.AttributeClassifier;
import org.ldmlab.nn.DenoiserConfig;
import org.ldmlab.nn.Init;
import org.ldmlab.schedule.NoiseSchedule;
import org.ldmlab.text.TextEncoderConfig;
import org.ldmlab.text.Tokenizer;
import org.ldmlab.train.Ema;
import org.ldmlab.unet.UNetConfig;

/**
 * Builds the models a checkpoint describes (its settings give the architecture, its EMA weights the values),
 * and finds the checkpoints shipped inside the toolkit. Kinds: "autoencoder", "ldm" (text to image, with a UNet or a
 * DiT backbone; the shipped DiT is "dit"),
 * "inpaint" (the hybrid model: masked image by concat, caption by cross-attention) and "classifier" (the
 * attribute classifier of the evaluation).
 */
public final class Models {
    public static final String AUTOENCODER = "autoencoder";
    public static final String LDM = "ldm";
    public static final String INPAINT = "inpaint";
    /** The attribute classifier that evaluates generated images. */
    public static final String CLASSIFIER = "classifier";
    /** The text-to-image model with a Diffusion Transformer backbone (a checkpoint of kind {@link #LDM}). */
    public static final String DIT = "dit";
    /** The names of the shipped checkpoints. */
    public static final Set<String> SHIPPED = Set.of(AUTOENCODER, LDM, DIT, INPAINT, CLASSIFIER);
    /** The group holding the autoencoder's weights inside an LDM checkpoint. */
    public static final String AUTOENCODER_GROUP = "autoencoder";

    private Models() {}

    /** A whole text-to-image pipeline: the latent space (E, D, scale factor) and the diffusion model in it. */
    public record Pipeline(LatentSpace latents, LatentDiffusion diffusion, Checkpoint checkpoint) {}

    /** The checkpoint shipped in the toolkit for {@code kind}, copied out of the jar on first use. */
    public static Path shipped(String kind) {
        String resource = "/ldmlab/models/" + kind + ".zip";
        try (InputStream in = Models.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new InvalidInputException("this build ships no '" + kind + "' model; train one with `ldmlab train "
                        + kind + "` and pass it with --model");
            }
            Path file = Files.createTempFile("ldmlab-" + kind + "-", ".zip");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new InvalidInputException("could not read the shipped '" + kind + "' model: " + e.getMessage(), e);
        }
    }

    /**
     * The path given, or the shipped model of {@code kind} when none is. The name of a shipped model that is not a file
     * in the working folder ({@code --model dit}) means that shipped model.
     */
    public static Path resolve(String pathOrNull, String kind) {
        if (pathOrNull == null) {
            return shipped(kind);
        }
        Path path = Path.of(pathOrNull);
        boolean shippedName = SHIPPED.contains(pathOrNull) && !Files.exists(path);
        return shippedName ? shipped(pathOrNull) : path;
    }

    /** An autoencoder checkpoint's model, with its EMA weights. */
    public static KlAutoencoder loadAutoencoder(Path path) {
        return autoencoder(Checkpoint.load(path, AUTOENCODER));
    }

    private static KlAutoencoder autoencoder(Checkpoint c) {
        KlAutoencoder ae = new KlAutoencoder(AutoencoderConfig.from(settings(c)), new Init(0));
        c.loadInto(ae, Ema.GROUP);
        return ae;
    }

    /** An attribute classifier checkpoint's model, with its EMA weights. */
    public static AttributeClassifier loadClassifier(Path path) {
        return classifier(Checkpoint.load(path, CLASSIFIER));
    }

    private static AttributeClassifier classifier(Checkpoint c) {
        AttributeClassifier classifier = new AttributeClassifier(new Init(0));
        c.loadInto(classifier, Ema.GROUP);
        return classifier;
    }

    /** A text-to-image or inpainting checkpoint's whole pipeline, with EMA weights. */
    public static Pipeline loadPipeline(Path path, String kind) {
        return pipeline(Checkpoint.load(path, kind));
    }

    /**
     * Builds the model a checkpoint of one of the shipped kinds describes and loads its weights, as the commands will:
     * every tensor must be there with the model's shape, else the reason names the first that is not.
     */
    public static void check(Checkpoint c) {
        switch (c.kind()) {
            case AUTOENCODER -> autoencoder(c);
            case CLASSIFIER -> classifier(c);
            case LDM, INPAINT -> pipeline(c);
            default -> throw new InvalidInputException(c + " holds a '" + c.kind() + "' model, which this version cannot build");
        }
    }

    private static Pipeline pipeline(Checkpoint c) {
        Settings s = settings(c);
        KlAutoencoder ae = new KlAutoencoder(AutoencoderConfig.from(s), new Init(0));
        c.loadInto(ae, AUTOENCODER_GROUP);
        LatentDiffusion diffusion = newDiffusion(s, new Init(0));
        c.loadInto(diffusion, Ema.GROUP);
        return new Pipeline(new LatentSpace(ae, Double.parseDouble(extra(c, "scale_factor"))), diffusion, c);
    }

    /** The noise model of a diffusion checkpoint, and the caption length M (the tokenizer's) that its model reads. */
    public record Architecture(DenoiserConfig backbone, int contextTokens) {}

    /** The architecture of a text-to-image or inpainting checkpoint's noise model, read from its settings; builds nothing. */
    public static Architecture architecture(Path path) {
        Settings s = settings(Checkpoint.load(path, LDM, INPAINT));
        return new Architecture(backbone(s), s.integer("text.context_length"));
    }

    /** A fresh diffusion model of the architecture {@code s} describes (as {@link #describe} writes it). */
    public static LatentDiffusion newDiffusion(Settings s, Init init) {
        Tokenizer tokenizer = new Tokenizer(Arrays.asList(s.string("text.vocabulary").split(",")), s.integer("text.context_length"));
        NoiseSchedule schedule = NoiseSchedule.of(s.string("schedule.kind"), s.integer("schedule.steps"));
        return new LatentDiffusion(tokenizer, TextEncoderConfig.from(s), backbone(s), schedule, init);
    }

    /** The noise model's architecture in {@code s}: a UNet (also when the setting predates DiTs) or a DiT. */
    public static DenoiserConfig backbone(Settings s) {
        String name = s.string("backbone", UNetConfig.BACKBONE);
        return switch (name) {
            case UNetConfig.BACKBONE -> UNetConfig.from(s);
            case DiTConfig.BACKBONE -> DiTConfig.from(s);
            default -> throw new InvalidInputException("unknown backbone '" + name + "' in the settings; this version knows unet and dit");
        };
    }

    /** The settings that rebuild a diffusion model: tokenizer, text encoder, backbone, schedule. */
    public static Settings describe(Tokenizer tokenizer, TextEncoderConfig text, DenoiserConfig backbone, String scheduleKind, int steps) {
        Settings s = Settings.empty().put("text.vocabulary", String.join(",", tokenizer.vocabulary()))
                .put("schedule.kind", scheduleKind).put("schedule.steps", steps);
        text.toSettings(s);
        return backbone.toSettings(s);
    }

    private static Settings settings(Checkpoint c) {
        return new Settings(c.toString(), c.config());
    }

    private static String extra(Checkpoint c, String key) {
        String v = c.extra(key);
        if (v == null) {
            throw new InvalidInputException(c + " has no '" + key + "': it is not a complete " + c.kind() + " checkpoint");
        }
        return v;
    }
}
