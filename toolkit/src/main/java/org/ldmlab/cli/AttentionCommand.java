package org.ldmlab.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.EnumSet;
import org.ldmlab.Choice;
import org.ldmlab.InvalidInputException;
import org.ldmlab.attention.AttentionSite.Place;
import org.ldmlab.attention.AttentionStore;
import org.ldmlab.attention.MapAggregation;
import org.ldmlab.attention.TokenMaps;
import org.ldmlab.attention.Upsampling;
import org.ldmlab.data.ImageTensors;
import org.ldmlab.io.AtomicFiles;
import org.ldmlab.io.Png;
import org.ldmlab.io.ProgressBar;
import org.ldmlab.ldm.AttentionMapping;
import org.ldmlab.ldm.Models;
import org.ldmlab.ldm.TextToImage;
import org.ldmlab.sampling.SamplerKind;
import org.ldmlab.sampling.SamplerSettings;
import org.ldmlab.text.Tokenizer;
import org.ldmlab.viz.AttentionFigures;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** {@code ldmlab attention}: one image and where each token of its prompt was looked at. */
final class AttentionCommand implements Command {
    @Override
    public String name() {
        return "attention";
    }

    @Override
    public String summary() {
        return "per-token cross-attention maps of a generated image (tokens, steps, layers, CSV)";
    }

    @Override
    public String usage() {
        return """
                ldmlab attention --prompt TEXT --out DIR [--seed 3] [--steps 50] [--guidance 3] [--places up] [--levels 8,4] [--from 0 --to 1] [--upsampling bicubic] [--normalise minmax] [--model PATH]
                  writes DIR/image.png; DIR/tokens.png (each token's map over the image, the token under it);
                  DIR/steps.png (each token over early, middle and late steps); DIR/layers.png (each token per
                  cross-attention layer); DIR/maps.csv (token_index,token,y,x,value: every token's 32x32 map)
                  --places      which layers to average: down, mid, up, or several (e.g. down,mid,up); default up, the
                                aggregation that localised best (README); a DiT's blocks all count as mid, its default
                  --levels      query resolutions to average (8: the 8x8 layers, 4: the 4x4 ones; default: all the model has)
                  --from, --to  the part of the run to average, 0 = first step, 1 = last
                  --upsampling  nearest, bilinear or bicubic (clamped at 0, as DAAM)
                  --normalise   max (each token's map by its maximum), minmax (less its minimum, then by its range) or
                                words (per pixel over the caption's words first, as DAAM; then by the maximum)""";
    }

    @Override
    public int run(Args args, PrintStream out) throws IOException {
        String prompt = args.required("prompt", "the caption, e.g. \"a small red square above a big blue circle\"");
        Path dir = Path.of(args.required("out", "the folder for the figures"));
        String model = args.string("model", null);
        SamplerSettings settings = new SamplerSettings(SamplerKind.DDIM, args.integer("steps", 50), 0, args.number("guidance", 3));
        long seed = args.longValue("seed", 3);
        Set<Integer> levelsAsked = args.has("levels") ? levels(args.string("levels", "")) : null;
        Set<Place> placesAsked = args.has("places") ? places(args.string("places", "")) : null;
        MapAggregation asked = MapAggregation.defaults().withSteps(args.number("from", 0), args.number("to", 1))
                .withUpsampling(Upsampling.parse(args.string("upsampling", "bicubic")))
                .withNormalisation(MapAggregation.Normalisation.parse(args.string("normalise", "minmax")));
        args.requireAllUsed();
        AtomicFiles.checkNewFolder(dir);
        TextToImage t2i = TextToImage.of(Models.loadPipeline(Models.resolve(model, Models.LDM), Models.LDM));
        Tokenizer tokenizer = t2i.diffusion().tokenizer();
        tokenizer.encode(prompt); // an unknown word fails before any work
        settings.create(t2i.diffusion().schedule());
        if (settings.steps() < 3) { // else the late third of steps.png holds no step, found after the sampling
            throw new InvalidInputException("--steps must be at least 3 (steps.png shows the early, middle and late steps); got "
                    + settings.steps());
        }
        asked.windows(settings.steps()); // a step window that holds no step fails here too
        MapAggregation forModel = AttentionMapping.defaultsFor(t2i.diffusion());
        Set<Integer> levels = levelsAsked != null ? levelsAsked : forModel.levels();
        checkLevels(levels, t2i);
        MapAggregation aggregation = asked.withLevels(levels).withPlaces(placesAsked != null ? placesAsked : forModel.places());

        AttentionMapping.Run run;
        try (ProgressBar bar = new ProgressBar("sample", settings.steps(), System.err)) {
            run = AttentionMapping.sample(t2i, List.of(prompt), settings, seed, AttentionStore.crossAttention(settings.steps()),
                    (i, t, x, x0) -> bar.step("t=" + t));
        }
        BufferedImage image = ImageTensors.toImage(run.images().get(NDArrayIndex.point(0)));
        TokenMaps maps = run.maps(0, aggregation);
        List<String> tokens = maps.tokens();
        int[] shown = IntStream.range(0, tokens.indexOf(Tokenizer.EOS) + 1).toArray(); // <bos> .. <eos>
        String what = "\"" + prompt + "\" (seed " + seed + ", " + settings.steps() + " steps, s = " + settings.guidance() + ")";

        int w = settings.steps();
        int third = Math.max(1, Math.round(w / 3f));
        List<double[]> windows = List.of(new double[] {0, (double) third / w}, new double[] {(double) third / w, (double) Math.min(w, 2 * third) / w},
                new double[] {(double) Math.min(w, 2 * third) / w, 1});
        List<TokenMaps> bySteps = new ArrayList<>();
        List<String> stepHeaders = new ArrayList<>();
        for (double[] win : windows) {
            bySteps.add(run.maps(0, aggregation.withSteps(win[0], win[1])));
            stepHeaders.add(String.format("steps %.2f-%.2f", win[0], win[1]));
        }
        List<TokenMaps> byLayer = new ArrayList<>();
        List<String> layerHeaders = new ArrayList<>();
        for (AttentionStore.LayerRecord layer : run.store().layers()) {
            byLayer.add(run.layerMaps(0, aggregation, layer.layer()));
            layerHeaders.add(layer.place().word() + " " + layer.level());
        }
        AtomicFiles.writeFolder(dir, folder -> {
            Png.write(image, folder.resolve("image.png"));
            Png.write(AttentionFigures.tokens(image, maps, what + ": " + aggregation.describe(), 9), folder.resolve("tokens.png"));
            Png.write(AttentionFigures.table(image, bySteps, stepHeaders, shown, what + ", over the run"), folder.resolve("steps.png"));
            Png.write(AttentionFigures.table(image, byLayer, layerHeaders, shown, what + ", per layer (" + run.store().layers().get(0).layer()
                    .replaceAll("\\..*", "") + ")"), folder.resolve("layers.png"));
            Files.writeString(folder.resolve("maps.csv"), maps.csv());
        });
        out.printf("wrote image.png, tokens.png, steps.png, layers.png and maps.csv (%d tokens x %dx%d) to %s%n",
                tokens.size(), maps.maps().size(1), maps.maps().size(2), dir);
        return 0;
    }

    static Set<Place> places(String text) {
        Set<Place> places = EnumSet.noneOf(Place.class);
        for (String word : text.split(",")) {
            places.add(Choice.parse(Place.class, word.trim(), "place"));
        }
        return places;
    }

    static Set<Integer> levels(String text) {
        try {
            Set<Integer> levels = Arrays.stream(text.split(",")).map(String::trim).map(Integer::parseInt).collect(Collectors.toCollection(TreeSet::new));
            if (levels.isEmpty()) {
                throw new NumberFormatException();
            }
            return levels;
        } catch (NumberFormatException e) {
            throw new InvalidInputException("--levels must be query resolutions separated by commas, e.g. 8,4; got '" + text + "'");
        }
    }

    /** Levels the model's attention layers run at (query grid sides). */
    static void checkLevels(Set<Integer> levels, TextToImage t2i) {
        Set<Integer> have = new TreeSet<>(t2i.diffusion().denoiser().config().attentionLevels());
        if (!have.containsAll(levels)) {
            throw new InvalidInputException("--levels " + levels + ": this model's cross-attention layers are at levels " + have);
        }
    }
}
