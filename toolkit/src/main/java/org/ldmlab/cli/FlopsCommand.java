package org.ldmlab.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ldmlab.Choice;
import org.ldmlab.InvalidInputException;
import org.ldmlab.dit.DiTConfig;
import org.ldmlab.dit.DiTPreset;
import org.ldmlab.dit.DiTVariant;
import org.ldmlab.io.AtomicFiles;
import org.ldmlab.ldm.Models;
import org.ldmlab.metrics.FlopCounter;
import org.ldmlab.nn.DenoiserConfig;
import org.ldmlab.text.TextEncoderConfig;
import org.ldmlab.text.TokenMixing;
import org.ldmlab.text.Tokenizer;
import org.ldmlab.unet.UNetConfig;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/**
 * {@code ldmlab flops}: what one forward pass of a noise model costs, layer by layer, in the DiT paper's Gflops
 * ({@link FlopCounter}): a checkpoint's model (read, not run), one of the paper's DiTs, a {@code -tiny} one, or the
 * toolkit's UNet, on its own latent grid or another.
 */
final class FlopsCommand implements Command {
    /** The preset word of the toolkit's text-to-image UNet. */
    private static final String UNET = "unet";
    /** --latent: H x W x C. */
    private static final Pattern LATENT = Pattern.compile("(\\d{1,4})x(\\d{1,4})x(\\d{1,4})");
    /** The largest latent side and channel count --latent takes (counts stay far from overflowing a long). */
    private static final int MAX_LATENT = 1024;

    @Override
    public String name() {
        return "flops";
    }

    @Override
    public String summary() {
        return "a denoiser's multiply-adds per forward pass, per layer, counted as the DiT paper counts Gflops";
    }

    @Override
    public String usage() {
        return """
                ldmlab flops (--model PATH | --preset NAME) [--variant V] [--latent HxWxC] [--csv FILE]
                  --model    a text-to-image or inpainting checkpoint: its noise model's architecture, read, not run; a shipped one by name (ldm, dit, inpaint)
                  --preset   unet (the toolkit's text-to-image UNet, 8x8x4 latents), or a DiT (the paper's on 32x32x4
                             latents, the -tiny ones on 8x8x4):
                             %s
                  --variant  how a DiT preset reads the caption (default adaln-zero):
                             %s
                  --latent   count on another latent grid, e.g. 32x32x4: square; a DiT's patch must tile it, a UNet's
                             levels must halve it
                  --csv      also write the table to FILE: columns layer,kind,params,gflops, the last row 'total'
                  One multiply-add = one flop (the DiT paper's convention), one forward pass at batch 1, captions of 16
                  tokens (a checkpoint's own length with --model); norms, activations, softmax and element-wise ops are
                  not counted. A sampling step with classifier-free guidance costs two forwards.""".formatted(
                Arrays.stream(DiTPreset.values()).map(DiTPreset::word).collect(Collectors.joining(", ")),
                Arrays.stream(DiTVariant.values()).map(Choice::word).collect(Collectors.joining(", ")));
    }

    @Override
    public int run(Args args, PrintStream out) throws IOException {
        String model = args.string("model", null);
        String preset = args.string("preset", null);
        String variant = args.string("variant", null);
        String latent = args.string("latent", null);
        String csv = args.string("csv", null);
        args.requireAllUsed();
        if ((model == null) == (preset == null)) {
            throw new InvalidInputException("give either --model PATH or --preset NAME");
        }
        if (variant != null && (model != null || preset.equals(UNET))) {
            throw new InvalidInputException("--variant chooses a DiT preset's conditioning; "
                    + (model != null ? "a checkpoint's model has its own" : "the UNet has none"));
        }
        Latent grid = latent == null ? null : Latent.parse(latent);
        Path target = csv == null ? null : Path.of(csv);
        if (target != null) {
            AtomicFiles.checkNewFile(target);
        }
        Models.Architecture architecture = model != null ? Models.architecture(Models.resolve(model, Models.LDM))
                : preset(preset, variant == null ? DiTVariant.ADALN_ZERO : DiTVariant.parse(variant));
        DenoiserConfig config = grid == null ? architecture.backbone() : grid.apply(architecture.backbone());
        FlopCounter count = FlopCounter.of(config, architecture.contextTokens());

        Table table = count.table();
        table.longColumn("params").setPrintFormatter(NumberColumnFormatter.intsWithGrouping());
        table.doubleColumn("gflops").setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(6));
        out.println(table.printAll());
        out.printf("%s on %dx%dx%d latents, %d caption tokens: %.5g Gflops per forward (batch 1), %.5g per guided "
                + "sampling step (two forwards: with the caption and without); %,d parameters%n",
                describe(model != null ? model : preset, config), config.latentSize(), config.latentSize(),
                config.latentChannels(), architecture.contextTokens(), count.totalGflops(), count.guidedStepGflops(),
                count.totalParams());
        if (target != null) {
            AtomicFiles.write(target, stream -> table.write().csv(stream));
            out.println("wrote " + target);
        }
        return 0;
    }

    /** The named model, with the toolkit's tokenizer and text encoder (16 tokens of width 64). */
    private static Models.Architecture preset(String name, DiTVariant variant) {
        Tokenizer tokenizer = Tokenizer.forShapes();
        int contextDim = TextEncoderConfig.forTokenizer(tokenizer, TokenMixing.FULL).width();
        DenoiserConfig config;
        if (name.equals(UNET)) {
            config = UNetConfig.textToImage(contextDim);
        } else {
            try {
                config = DiTPreset.parse(name).config(variant, contextDim);
            } catch (InvalidInputException e) {
                throw new InvalidInputException(e.getMessage() + ", or " + UNET, e);
            }
        }
        return new Models.Architecture(config, tokenizer.contextLength());
    }

    /** The model's name, and a DiT's conditioning: "XL/2 (adaln-zero)". */
    private static String describe(String name, DenoiserConfig config) {
        return config instanceof DiTConfig d ? name + " (" + d.variant().word() + ")" : name;
    }

    /** A square latent grid side x side x channels, as --latent gives it. */
    private record Latent(int side, int channels) {
        /** "HxWxC"; the toolkit's models run on square grids. */
        static Latent parse(String text) {
            Matcher m = LATENT.matcher(text);
            if (!m.matches()) {
                throw new InvalidInputException("--latent needs HxWxC, e.g. 32x32x4; got '" + text + "'");
            }
            int h = Integer.parseInt(m.group(1));
            int w = Integer.parseInt(m.group(2));
            int c = Integer.parseInt(m.group(3));
            if (Stream.of(h, w, c).anyMatch(v -> v < 1 || v > MAX_LATENT)) {
                throw new InvalidInputException("--latent sides and channels must be 1.." + MAX_LATENT + "; got '" + text + "'");
            }
            if (h != w) {
                throw new InvalidInputException("--latent must be square (the toolkit's models run on h = w); got '" + text + "'");
            }
            return new Latent(h, c);
        }

        /** The same model on this grid (a DiT's constructor checks that its patch tiles it). */
        DenoiserConfig apply(DenoiserConfig config) {
            if (config instanceof DiTConfig d) {
                return new DiTConfig(d.variant(), side, channels, d.patch(), d.depth(), d.width(), d.heads(), d.contextDim(),
                        d.timeFeatures(), d.learnSigma());
            }
            UNetConfig u = (UNetConfig) config;
            return new UNetConfig(channels, side, u.concatChannels(), u.channels(), u.contextDim(), u.heads(), u.groups(),
                    u.timeFeatures(), u.key());
        }
    }
}
