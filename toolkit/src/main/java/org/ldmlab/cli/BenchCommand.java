package org.ldmlab.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.ldmlab.autoencoder.AutoencoderConfig;
import org.ldmlab.autoencoder.KlAutoencoder;
import org.ldmlab.io.PeakMemory;
import org.ldmlab.io.Processes;
import org.ldmlab.metrics.Sgemm;
import org.ldmlab.metrics.Throughput;
import org.ldmlab.nn.Init;
import org.ldmlab.nn.Module;
import org.ldmlab.nn.Ops;
import org.ldmlab.nn.TextContext;
import org.ldmlab.nn.Var;
import org.ldmlab.schedule.Noise;
import org.ldmlab.train.Adam;
import org.ldmlab.train.DataParallel;
import org.ldmlab.train.TrainingLoop;
import org.ldmlab.ldm.AttentionMapping;
import org.ldmlab.ldm.Models;
import org.ldmlab.ldm.TextToImage;
import org.ldmlab.p2p.EditSettings;
import org.ldmlab.p2p.PromptToPrompt;
import org.ldmlab.sampling.SamplerSettings;
import org.ldmlab.sampling.StepCallback;
import org.ldmlab.unet.UNet;
import org.ldmlab.unet.UNetConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code ldmlab bench}: what the models cost here: parameters, a training step, sampling speed, the achieved GFLOP/s against
 * sgemm's, peak memory;
 * and, where Debian's python3-torch is installed, the same UNet in PyTorch, timed in the same way.
 */
final class BenchCommand implements Command {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "measure parameters, training step time, sampling speed and memory (and PyTorch's, if installed)";
    }

    @Override
    public String usage() {
        return """
                ldmlab bench [--repeats N] [--no-pytorch]
                  times the default UNet (text-to-image) and autoencoder: a training step (forward, backward, Adam)
                  at batch 32, and 50-step DDIM sampling with classifier-free guidance at batch 16 (UNet forwards
                  at batch 32); the cost of attention controllers on the shipped LDM (1 prompt, 50 guided DDIM steps:
                  plain, an identity controller, an AttentionStore) and of a Prompt-to-Prompt word swap; medians
                  over N repeats (default 10); the UNet's achieved GFLOP/s next to sgemm's (multiply-adds counted as
                  `ldmlab flops` counts them, a training step as 3 forwards); peak resident memory.
                  Threads: OMP_NUM_THREADS (the launcher sets 1).""";
    }

    @Override
    public int run(Args args, PrintStream out) throws IOException, InterruptedException {
        int repeats = args.integer("repeats", 10);
        boolean pytorch = !args.flag("no-pytorch");
        args.requireAllUsed();
        out.printf("threads: OMP_NUM_THREADS=%s, %d cores%n", System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)"),
                Runtime.getRuntime().availableProcessors());
        Noise noise = new Noise(0);
        UNet unet = new UNet(UNetConfig.textToImage(64), new Init(0));
        INDArray z = noise.standardNormal(32, 8, 8, 4);
        INDArray ctx = noise.standardNormal(32, 16, 64);
        INDArray eps = noise.standardNormal(32, 8, 8, 4);
        int[] t = new int[32];
        Arrays.setAll(t, i -> i * 31 % 1000);
        TrainingLoop.ShardedStep<UNet> unetLoss = (replica, step, shard) -> Ops.mse(replica.forward(Var.constant(shard.of(z)), shard.of(t),
                new TextContext(Var.constant(shard.of(ctx)), null), null), shard.of(eps));
        Supplier<UNet> newUnet = () -> new UNet(unet.config(), new Init(0));
        double unetStep = trainingStep(unet, newUnet, 1, repeats, unetLoss);
        double unetForward = median(repeats, () -> {
            try (var off = Var.noGrad()) {
                unet.forward(Var.constant(z), t, new TextContext(Var.constant(ctx), null), null); // batch 32 = 16 images x (cond, uncond)
            }
        });
        out.printf("unet        %,9d parameters  train step b32 %7.1f ms  forward b32 %6.1f ms  ~%.2f images/s (50 DDIM steps, CFG, b16)%n",
                unet.parameterCount(), unetStep, unetForward, 16 / (50 * unetForward / 1000));
        int cores = Runtime.getRuntime().availableProcessors();
        double parallelStep = trainingStep(unet, newUnet, cores, repeats, unetLoss);
        out.printf("unet        train step b32 on %d data-parallel workers %7.1f ms (%.2fx one worker)%n", cores, parallelStep, unetStep / parallelStep);
        arithmetic(out, unet.config(), (int) ctx.size(1), unetStep, parallelStep, cores, unetForward, repeats);

        KlAutoencoder ae = new KlAutoencoder(AutoencoderConfig.defaults(), new Init(0));
        INDArray x = noise.standardNormal(32, 32, 32, 3);
        INDArray aeEps = noise.standardNormal(32, 8, 8, 4);
        double aeStep = trainingStep(ae, () -> new KlAutoencoder(ae.config(), new Init(0)), 1, repeats,
                (replica, step, shard) -> replica.loss(x, aeEps).total());
        out.printf("autoencoder %,9d parameters  train step b32 %7.1f ms%n", ae.parameterCount(), aeStep);
        controllers(repeats, out);
        PeakMemory.print(out);
        if (pytorch) {
            comparePytorch(out, "1", unetStep, unetForward);
            if (cores > 1) {
                comparePytorch(out, Integer.toString(cores), parallelStep, unetForward);
            }
        }
        return 0;
    }

    /**
     * What attention controllers cost: one prompt sampled with the shipped LDM (50 DDIM steps, guidance 3) alone,
     * with a controller that returns its input, and with an {@code AttentionStore} recording every step.
     */
    private static void controllers(int repeats, PrintStream out) {
        Models.Pipeline pipeline = Models.loadPipeline(Models.shipped(Models.LDM), Models.LDM);
        TextToImage t2i = TextToImage.of(pipeline);
        List<String> prompt = List.of("a small red square above a big blue circle");
        SamplerSettings settings = SamplerSettings.defaults();
        // interleaved, so that warm-up and drift of the machine weigh on the three alike
        double[] ms = interleavedMedians(repeats,
                () -> t2i.sample(prompt, settings, 0, StepCallback.NONE),
                () -> {
                    try (var attached = t2i.diffusion().attach((site, probs) -> probs)) {
                        t2i.sample(prompt, settings, 0, StepCallback.NONE);
                    }
                },
                () -> AttentionMapping.sample(t2i, prompt, settings, 0));
        out.printf("controllers (shipped LDM, 1 prompt, 50 DDIM steps, s = 3): plain %.1f ms, identity controller %.1f ms (%+.1f%%), "
                + "AttentionStore %.1f ms (%+.1f%%)%n", ms[0], ms[1], 100 * (ms[1] / ms[0] - 1), ms[2], 100 * (ms[2] / ms[0] - 1));
        PromptToPrompt p2p = PromptToPrompt.of(pipeline);
        double edit = median(repeats, () -> p2p.edit("a small red square above a big blue circle", "a small red square above a big blue triangle",
                EditSettings.defaults(), settings, 7, StepCallback.NONE));
        out.printf("prompt-to-prompt word swap (source and target in one batch, 50 DDIM steps, s = 3): %.1f ms%n", edit);
    }

    /**
     * Median ms of a training step as {@code train --workers} runs it: forward and backward with the batch split over
     * {@code workers} replicas on threads ({@link DataParallel}), then an Adam update.
     */
    private static <M extends Module> double trainingStep(M model, Supplier<M> newReplica, int workers, int repeats,
            TrainingLoop.ShardedStep<M> loss) {
        Adam adam = new Adam(model, 1e-4);
        try (DataParallel<M> replicas = new DataParallel<>(model, newReplica, workers)) {
            return median(repeats, () -> {
                adam.zeroGrad();
                replicas.lossAndGradients(loss, 0);
                adam.step();
                replicas.broadcastWeights();
            });
        }
    }

    /** The median ms of each piece of work, run in turn in every repeat after three warm-up rounds. */
    private static double[] interleavedMedians(int repeats, Runnable... work) {
        double[][] ms = new double[work.length][repeats];
        for (int r = -3; r < repeats; r++) {
            for (int w = 0; w < work.length; w++) {
                long start = System.nanoTime();
                work[w].run();
                if (r >= 0) {
                    ms[w][r] = (System.nanoTime() - start) / 1e6;
                }
            }
        }
        double[] medians = new double[work.length];
        for (int w = 0; w < work.length; w++) {
            Arrays.sort(ms[w]);
            medians[w] = ms[w][repeats / 2];
        }
        return medians;
    }

    private static double median(int repeats, Runnable work) {
        for (int i = 0; i < 3; i++) {
            work.run();
        }
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            work.run();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return ms[repeats / 2];
    }

    /**
     * The UNet's achieved GFLOP/s (Throughput's count: multiply-adds, a training step = 3 forwards) next to sgemm's on
     * this machine (n^3 multiply-adds per product, 1 thread and one product per core side by side), largest size last.
     */
    private static void arithmetic(PrintStream out, UNetConfig config, int contextTokens, double step, double parallelStep, int cores,
            double forward, int repeats) {
        out.println("arithmetic, 1 multiply-add = 1 flop (FlopCounter's convention; a training step = 3 forwards; sgemm n^3 per product):");
        double one = 0;
        double all = 0;
        for (int n : new int[] {512, 1024}) {
            one = Sgemm.gflops(n, 1, repeats);
            all = cores > 1 ? Sgemm.gflops(n, cores, repeats) : one;
            out.printf("  sgemm (ND4J mmul, float) %d^3: %.1f GFLOP/s on 1 thread, %.1f on %d threads (one product each)%n", n, one, all, cores);
        }
        out.println("  " + Throughput.trainingStep("unet train step b32, 1 worker", config, contextTokens, 32, step).against(one, "1 thread, 1024^3"));
        out.println("  " + Throughput.trainingStep("unet train step b32, " + cores + " workers", config, contextTokens, 32, parallelStep)
                .against(all, cores + " threads, 1024^3"));
        out.println("  " + Throughput.forward("unet forward b32", config, contextTokens, 32, forward).against(one, "1 thread, 1024^3"));
    }

    /**
     * Runs benchmarks/pytorch_unet.py with Debian's python3 on {@code threads} threads and prints the ratios
     * ours / PyTorch: with one thread each, the training step and the forward pass; on all cores, the training
     * step (ours data-parallel; our forward pass, used by sampling, stays on one thread).
     */
    private static void comparePytorch(PrintStream out, String threads, double unetStep, double unetForward)
            throws IOException, InterruptedException {
        Path script = Repository.path("benchmarks/pytorch_unet.py");
        Path python = Path.of("/usr/bin/python3");
        if (!Files.exists(script) || !Files.exists(python)) {
            out.println("pytorch: not compared (needs /usr/bin/python3 with Debian's python3-torch, and " + script + ")");
            return;
        }
        Processes.Result run;
        try {
            run = Processes.run(List.of(python.toString(), script.toString(), threads), Duration.ofMinutes(10));
        } catch (IOException e) {
            out.println("pytorch: not compared (" + e.getMessage().lines().findFirst().orElse("") + ")");
            return;
        }
        List<String> lines = run.output().lines().toList();
        if (run.status() != 0) {
            out.println("pytorch: not compared (" + Processes.lastLines(run.output(), 2).replace("\n", " / ") + ")");
            return;
        }
        lines.forEach(l -> out.println("pytorch " + l));
        double step = unetStep / value(lines, "train_step_b32_ms");
        if (threads.equals("1")) {
            out.printf("ratio ldm-lab / pytorch (same UNet, 1 thread each): train step %.2f, forward %.2f%n", step,
                    unetForward / value(lines, "forward_b32_ms"));
        } else {
            out.printf("ratio ldm-lab / pytorch (same UNet, %s cores each): train step %.2f%n", threads, step);
        }
    }

    private static double value(List<String> lines, String key) {
        return lines.stream().filter(l -> l.startsWith(key + " ")).mapToDouble(l -> Double.parseDouble(l.split(" ")[1]))
                .findFirst().orElse(Double.NaN);
    }
}
