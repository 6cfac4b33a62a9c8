package org.ldmlab.ldm;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.ldmlab.InvalidInputException;
import org.ldmlab.autoencoder.KlAutoencoder;
import org.ldmlab.checkpoint.Checkpoint;
import org.ldmlab.io.AtomicFiles;
import org.ldmlab.io.FolderLock;
import org.ldmlab.io.ProgressBar;
import org.ldmlab.io.Settings;
import org.ldmlab.metrics.Adherence;
import org.ldmlab.metrics.Evaluation;
import org.ldmlab.metrics.FlopCounter;
import org.ldmlab.nn.DenoiserConfig;
import org.ldmlab.nn.Var;
import org.ldmlab.sampling.SamplerSettings;
import org.ldmlab.schedule.LossWeighting;
import org.ldmlab.schedule.Noise;
import org.ldmlab.text.TextEncoderConfig;
import org.ldmlab.text.Tokenizer;
import org.ldmlab.train.TrainingLoop;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/**
 * Several latent diffusion models trained on the same data (one {@link LatentPool}), seed, batch, learning rate and
 * number of steps, each evaluated at regular intervals with its EMA weights: the comparisons of the DiT paper
 * (Peebles and Xie 2023, Figures 5, 8 and 9) in kind. At each evaluation: FID and prompt adherence (every attribute
 * read right, single objects and pairs) from {@link Evaluation}, and the loss on a fixed set of training triples
 * (z_0, t, eps). Training compute is counted as the paper does (section 5.1): Gflops x batch x steps x 3, the
 * backward pass costing about two forwards.
 *
 * <p>Every model keeps its checkpoint in the folder and every evaluation is a row of {@code points.csv} there, so
 * an interrupted comparison goes on where it stopped when it is run again with the same settings.
 */
public final class TrainingComparison {
    /** The file of evaluations inside the comparison's folder. */
    public static final String POINTS = "points.csv";
    /** The file that records the plan and models a folder's comparison was started with. */
    public static final String PLAN = "plan.txt";
    /** Size of the fixed set the loss is measured on. */
    private static final int LOSS_TRIPLES = 256;
    private static final int LOSS_BATCH = 64;
    /** Where the training's own messages go (the progress bar still shows on standard error). */
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    /** One model of a comparison: its name in tables and figures, and its backbone. */
    public record Entry(String name, DenoiserConfig backbone) {}

    /**
     * How the models train and are evaluated: {@code steps} each, evaluated every {@code evalEvery} steps with
     * {@code sampler}; training on {@code workers} data-parallel replicas, sampling on {@code threads}.
     */
    public record Plan(long steps, long evalEvery, int batch, double lr, long seed, int workers, SamplerSettings sampler,
            int threads) {
        public Plan {
            if (steps < 1 || evalEvery < 1 || steps % evalEvery != 0) {
                throw new InvalidInputException("the steps per model (" + steps + ") must be a positive multiple of the "
                        + "evaluation interval (" + evalEvery + ")");
            }
        }
    }

    /**
     * One evaluation of one model.
     *
     * @param seconds        training wall time so far
     * @param gflops         one forward pass of the backbone ({@link FlopCounter})
     * @param trainingGflops gflops x batch x step x 3
     * @param single         share of single-object images with every attribute right; {@code pair} the same for pairs
     */
    public record Point(String model, long step, double seconds, long parameters, double gflops, double trainingGflops,
            double loss, double fid, double single, double pair) {}

    private final List<Entry> entries;
    private final Path folder;
    private final Tokenizer tokenizer;
    private final TextEncoderConfig text;
    private final KlAutoencoder autoencoder;
    private final LatentPool pool;
    private final Evaluation evaluation;
    private final Plan plan;

    public TrainingComparison(List<Entry> entries, Path folder, Tokenizer tokenizer, TextEncoderConfig text,
            KlAutoencoder autoencoder, LatentPool pool, Evaluation evaluation, Plan plan) {
        if (entries.isEmpty() || entries.stream().map(Entry::name).distinct().count() != entries.size()) {
            throw new InvalidInputException("a comparison needs at least one model and distinct names");
        }
        this.entries = List.copyOf(entries);
        this.folder = folder;
        this.tokenizer = tokenizer;
        this.text = text;
        this.autoencoder = autoencoder;
        this.pool = pool;
        this.evaluation = evaluation;
        this.plan = plan;
    }

    /** The training run of one entry (same recipe, data and seed for all). */
    public DiffusionTraining training(Entry entry, String commandLine) {
        Settings architecture = Models.describe(tokenizer, text, entry.backbone(), "scaled_linear", 1000);
        autoencoder.config().toSettings(architecture);
        return new DiffusionTraining(Models.LDM, architecture, autoencoder, pool, plan.seed(),
                DiffusionTraining.Recipe.constant(plan.batch(), plan.lr()), plan.workers(), commandLine);
    }

    public Plan plan() {
        return plan;
    }

    /** Where an entry's checkpoint lives. */
    public Path checkpoint(Entry entry) {
        return folder.resolve(entry.name().replace('/', '_') + ".zip");
    }

    /**
     * Trains and evaluates every model, resuming from the folder's checkpoints and points; returns all points, model by
     * model, or stops early (points so far) if the training was interrupted.
     */
    public List<Point> run(String commandLine, PrintStream out) throws IOException {
        try (FolderLock lock = FolderLock.acquire(folder, "comparison")) {
            checkPlanFile();
            List<Point> points = new ArrayList<>(readPoints(folder.resolve(POINTS)));
            for (Entry entry : entries) {
                DiffusionTraining training = training(entry, commandLine);
                long parameters = training.newModel().parameterCount();
                double gflops = FlopCounter.of(entry.backbone(), tokenizer.contextLength()).totalGflops();
                out.printf("== %s: %,d parameters, %.4f Gflops per forward, %d data-parallel workers%n", entry.name(), parameters,
                        gflops, plan.workers());
                for (long step = plan.evalEvery(); step <= plan.steps(); step += plan.evalEvery()) {
                    long target = step;
                    if (points.stream().anyMatch(p -> p.model().equals(entry.name()) && p.step() == target)) {
                        continue;
                    }
                    TrainingLoop.Result result = training.trainOrResume(target, checkpoint(entry), (int) plan.evalEvery(), QUIET);
                    if (result.interrupted()) {
                        out.println("interrupted: run the same command again to go on from step " + result.step());
                        return points;
                    }
                    Point p = evaluate(entry, parameters, gflops);
                    points.add(p);
                    writePoints(points);
                    out.printf("%s step %d: loss %.4f, FID %.2f, single objects all right %.3f, pairs %.3f (%.0f s trained)%n",
                            p.model(), p.step(), p.loss(), p.fid(), p.single(), p.pair(), p.seconds());
                }
            }
            return points.stream().filter(p -> entries.stream().anyMatch(e -> e.name().equals(p.model()))).toList();
        }
    }

    /**
     * The plan and models this folder was started with ({@value #PLAN}): written by the first run, and a later run
     * with other settings is refused, so that the points of one comparison never mix with another's.
     */
    private void checkPlanFile() throws IOException {
        Path file = folder.resolve(PLAN);
        String description = describe();
        if (!Files.exists(file)) {
            AtomicFiles.writeString(file, description);
        } else if (!Files.readString(file).equals(description)) {
            throw new InvalidInputException(folder + " holds a comparison with other settings (" + file + "); run it with those, "
                    + "or give another folder");
        }
    }

    private String describe() {
        StringBuilder b = new StringBuilder(String.format("steps=%d%neval_every=%d%nbatch=%d%nlr=%s%nseed=%d%npool=%d%nsampler=%s%n",
                plan.steps(), plan.evalEvery(), plan.batch(), plan.lr(), plan.seed(), pool.size(), plan.sampler()));
        for (Entry e : entries) {
            b.append("model.").append(e.name()).append('=').append(e.backbone().toSettings(Settings.empty()).asMap()).append('\n');
        }
        return b.toString();
    }

    /** The steps per model and evaluation interval of the plan a folder was started with; null if it holds none. */
    public static long[] savedSteps(Path folder) throws IOException {
        Path file = folder.resolve(PLAN);
        if (!Files.exists(file)) {
            return null;
        }
        long steps = -1;
        long every = -1;
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("steps=")) {
                steps = Long.parseLong(line.substring("steps=".length()));
            } else if (line.startsWith("eval_every=")) {
                every = Long.parseLong(line.substring("eval_every=".length()));
            }
        }
        return new long[] {steps, every};
    }

    /**
     * Measured costs for choosing the steps within a time budget: per entry, the seconds of one training step (a
     * throwaway run of 2 {@code probeSteps} steps, timed from the start of step {@code probeSteps + 1} to its end, so
     * that starting up and the first, slower steps are left out) and of one evaluation (one batch of the evaluation's
     * captions sampled by that model, scaled to all its batches).
     */
    public double[][] measureCosts(int probeSteps, PrintStream out) throws IOException {
        double[][] costs = new double[entries.size()][2];
        Path scratch = Files.createTempDirectory("ldmlab-probe-");
        try {
            for (int i = 0; i < entries.size(); i++) {
                Entry entry = entries.get(i);
                DiffusionTraining training = training(entry, "probe");
                Path probe = scratch.resolve(i + ".zip");
                AtomicLong timedFrom = new AtomicLong();
                TrainingLoop.ShardedStep<LatentDiffusion> recipe = training.step();
                training.train(2L * probeSteps, probe, 2 * probeSteps, false, QUIET, (replica, step, shard) -> {
                    if (step == probeSteps + 1) {
                        timedFrom.compareAndSet(0, System.nanoTime()); // the first shard of the first timed step
                    }
                    return recipe.loss(replica, step, shard);
                });
                costs[i][0] = (System.nanoTime() - timedFrom.get()) / 1e9 / probeSteps;
                Models.Pipeline model = Models.loadPipeline(probe, Models.LDM);
                List<String> oneBatch = evaluation.captions().subList(0, Math.min(TextToImage.BATCH, evaluation.captions().size()));
                long start = System.nanoTime();
                TextToImage.of(model).sampleAll(oneBatch, plan.sampler(), plan.seed(), 1, () -> {});
                double batchSeconds = (System.nanoTime() - start) / 1e9;
                int batches = batches(evaluation.captions().size());
                costs[i][1] = batchSeconds * batches / Math.min(plan.threads(), batches);
                out.printf("  %-22s %.3f s per training step, ~%.0f s per evaluation%n", entry.name(), costs[i][0], costs[i][1]);
            }
        } finally {
            AtomicFiles.deleteQuietly(scratch);
        }
        return costs;
    }

    /**
     * The most steps per model (a multiple of {@code evaluations} x 50) whose training and {@code evaluations}
     * evaluations of every model fit in {@code seconds}, at the measured costs; at least one evaluation interval of 50.
     */
    public static long stepsWithin(double seconds, double[][] costs, int evaluations) {
        double perStep = 0;
        double evals = 0;
        for (double[] c : costs) {
            perStep += c[0];
            evals += c[1] * evaluations;
        }
        long unit = 50L * evaluations;
        long steps = (long) Math.floor((seconds - evals) / perStep / unit) * unit;
        return Math.max(unit, steps);
    }

    /** The seconds that {@code steps} per model and {@code evaluations} evaluations of each take at the measured costs. */
    public static double secondsFor(long steps, double[][] costs, int evaluations) {
        return Arrays.stream(costs).mapToDouble(c -> steps * c[0] + evaluations * c[1]).sum();
    }

    /** The EMA weights of the entry's checkpoint, evaluated. */
    private Point evaluate(Entry entry, long parameters, double gflops) {
        Models.Pipeline pipeline = Models.loadPipeline(checkpoint(entry), Models.LDM);
        Checkpoint c = pipeline.checkpoint();
        INDArray images;
        try (ProgressBar bar = new ProgressBar("evaluate " + entry.name(), batches(evaluation.captions().size()), System.err)) {
            images = TextToImage.of(pipeline).sampleAll(evaluation.captions(), plan.sampler(), plan.seed(), plan.threads(), bar::step);
        }
        Evaluation.Result scores = evaluation.score(images);
        double single = scores.adherence(s -> s.objects().size() == 1).of(Adherence.Measure.ALL_RIGHT).value();
        double pair = scores.adherence(s -> s.objects().size() == 2).of(Adherence.Measure.ALL_RIGHT).value();
        return new Point(entry.name(), c.step(), c.secondsTrained(), parameters, gflops, gflops * plan.batch() * c.step() * 3,
                fixedSetLoss(pipeline.diffusion()), scores.fid(), single, pair);
    }

    private static int batches(int images) {
        return (images + TextToImage.BATCH - 1) / TextToImage.BATCH;
    }

    /** L_LDM on {@value #LOSS_TRIPLES} fixed (z_0, caption, t, eps) of the pool: the same triples for every model and step. */
    private double fixedSetLoss(LatentDiffusion model) {
        SplittableRandom random = new SplittableRandom(plan.seed() ^ 0x5EEDL);
        int[] rows = random.ints(LOSS_TRIPLES, 0, pool.size()).toArray();
        int[] t = random.ints(LOSS_TRIPLES, 0, model.schedule().steps()).toArray();
        INDArray z0 = LatentPool.rows(pool.latents(), rows);       // [N, c, h, w]
        INDArray eps = new Noise(random.nextLong()).like(z0);        // [N, c, h, w]
        double sum = 0;
        try (var off = Var.noGrad()) {
            for (int from = 0; from < LOSS_TRIPLES; from += LOSS_BATCH) {
                int[] r = Arrays.copyOfRange(rows, from, from + LOSS_BATCH);
                List<String> captions = Arrays.stream(r).mapToObj(pool.captions()::get).toList();
                INDArray part = z0.get(NDArrayIndex.interval(from, from + LOSS_BATCH));
                INDArray partEps = eps.get(NDArrayIndex.interval(from, from + LOSS_BATCH));
                sum += model.loss(part, captions, null, Arrays.copyOfRange(t, from, from + LOSS_BATCH), partEps,
                        LossWeighting.UNIFORM)
                        .value().getDouble(0) * LOSS_BATCH;
            }
        }
        return sum / LOSS_TRIPLES;
    }

    /** The points as a table, one row per evaluation. */
    public static Table table(List<Point> points) {
        Table t = Table.create("comparison", StringColumn.create("model"), LongColumn.create("step"), DoubleColumn.create("train_seconds"),
                LongColumn.create("params"), DoubleColumn.create("gflops"), DoubleColumn.create("training_gflops"),
                DoubleColumn.create("loss"), DoubleColumn.create("fid"), DoubleColumn.create("single_all_right"),
                DoubleColumn.create("pair_all_right"));
        for (Point p : points) {
            t.stringColumn("model").append(p.model());
            t.longColumn("step").append(p.step());
            t.doubleColumn("train_seconds").append(p.seconds());
            t.longColumn("params").append(p.parameters());
            t.doubleColumn("gflops").append(p.gflops());
            t.doubleColumn("training_gflops").append(p.trainingGflops());
            t.doubleColumn("loss").append(p.loss());
            t.doubleColumn("fid").append(p.fid());
            t.doubleColumn("single_all_right").append(p.single());
            t.doubleColumn("pair_all_right").append(p.pair());
        }
        return t;
    }

    /** Each model's last point with its training speed: model, params, gflops, steps/s, step, loss, FID, adherence. */
    public static Table summary(List<Point> points) {
        Table t = Table.create("summary", StringColumn.create("model"), LongColumn.create("params"), DoubleColumn.create("gflops"),
                DoubleColumn.create("steps_per_s"), LongColumn.create("step"), DoubleColumn.create("loss"), DoubleColumn.create("fid"),
                DoubleColumn.create("single_all_right"), DoubleColumn.create("pair_all_right"));
        List<String> models = points.stream().map(Point::model).distinct().toList();
        for (String m : models) {
            Point last = Collections.max(points.stream().filter(p -> p.model().equals(m)).toList(),
                    Comparator.comparingLong(Point::step));
            t.stringColumn("model").append(m);
            t.longColumn("params").append(last.parameters());
            t.doubleColumn("gflops").append(last.gflops());
            t.doubleColumn("steps_per_s").append(last.step() / last.seconds());
            t.longColumn("step").append(last.step());
            t.doubleColumn("loss").append(last.loss());
            t.doubleColumn("fid").append(last.fid());
            t.doubleColumn("single_all_right").append(last.single());
            t.doubleColumn("pair_all_right").append(last.pair());
        }
        t.doubleColumn("gflops").setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(4));
        t.doubleColumn("steps_per_s").setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(2));
        t.doubleColumn("loss").setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(4));
        t.doubleColumn("fid").setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(1));
        t.doubleColumn("single_all_right").setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(3));
        t.doubleColumn("pair_all_right").setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(3));
        return t;
    }

    /** The points of a comparison's CSV ({@link #table}'s columns, as {@code points.csv} and figures/compare_*.csv hold them). */
    public static List<Point> readPoints(Path file) throws IOException {
        List<Point> points = new ArrayList<>();
        if (Files.exists(file)) {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                points.add(new Point(f[0], Long.parseLong(f[1]), Double.parseDouble(f[2]), Long.parseLong(f[3]),
                        Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]),
                        Double.parseDouble(f[8]), Double.parseDouble(f[9])));
            }
        }
        return points;
    }

    private void writePoints(List<Point> points) throws IOException {
        Table t = table(points);
        AtomicFiles.write(folder.resolve(POINTS), o -> t.write().csv(o));
    }
}
