package org.ldmlab.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldmlab.checkpoint.Checkpoint;
import org.ldmlab.checkpoint.Npy;
import org.ldmlab.ldm.Models;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The training and sampling commands end to end, as a user runs them, on tiny runs: train the autoencoder,
 * resume it, train an LDM in it, sample from that; and every bad input gives a clear error and exit 2.
 */
class TrainAndSampleTest {
    @TempDir
    static Path dir;
    static Path ldm;

    @BeforeAll
    static void trainTinyModels() {
        CliRun ae = CliRun.of("train", "autoencoder", "--steps", "2", "--batch", "2", "--every", "1", "--out", dir.toString());
        assertEquals(0, ae.status(), ae.err());
        assertTrue(ae.out().contains("PSNR"), ae.out());
        CliRun run = CliRun.of("train", "ldm", "--steps", "2", "--batch", "4", "--pool", "64", "--out", dir.toString(),
                "--autoencoder", dir.resolve("autoencoder.zip").toString());
        assertEquals(0, run.status(), run.err());
        ldm = dir.resolve("ldm.zip");
        CliRun inpaint = CliRun.of("train", "inpaint", "--steps", "2", "--batch", "4", "--pool", "64", "--out", dir.toString(),
                "--autoencoder", dir.resolve("autoencoder.zip").toString(), "--min-snr", "off");
        assertEquals(0, inpaint.status(), inpaint.err());
        CliRun dit = CliRun.of("train", "dit", "--preset", "S/2-tiny", "--variant", "adaln-zero-cross", "--steps", "2", "--batch", "4",
                "--pool", "64", "--out", dir.toString(), "--autoencoder", dir.resolve("autoencoder.zip").toString(),
                "--warmup", "1", "--lr-decay", "cosine", "--min-snr", "5");
        assertEquals(0, dit.status(), dit.err());
        assertTrue(dit.out().contains("DiT-S/2-tiny adaln-zero-cross"), dit.out());
        assertTrue(dit.out().contains("learning rate 5.0E-4, warm-up 1, cosine to 2; loss weighting min-SNR-5"), dit.out());
        CliRun render = CliRun.of("render", "--caption", "a big red circle on the left", "--out", dir.resolve("scene.png").toString());
        assertEquals(0, render.status(), render.err());
    }

    @Test
    void inpaintFillsTheMaskAndKeepsTheRestOfTheImage() throws IOException {
        Path out = dir.resolve("inpainted");
        CliRun run = CliRun.of("inpaint", "--image", dir.resolve("scene.png").toString(), "--mask", dir.resolve("scene_mask_0.png").toString(),
                "--prompt", "a big blue square on the left", "--model", dir.resolve("inpaint.zip").toString(), "--n", "2", "--steps", "3",
                "--out", out.toString());
        assertEquals(0, run.status(), run.err());
        java.awt.image.BufferedImage result = javax.imageio.ImageIO.read(out.resolve("0.png").toFile());
        java.awt.image.BufferedImage scene = javax.imageio.ImageIO.read(dir.resolve("scene.png").toFile());
        java.awt.image.BufferedImage mask = javax.imageio.ImageIO.read(dir.resolve("scene_mask_0.png").toFile());
        int k = scene.getWidth() / 32;
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                if ((mask.getRGB(x * k + k / 2, y * k + k / 2) & 0xFF) < 128) {
                    assertEquals(scene.getRGB(x * k + k / 2, y * k + k / 2), result.getRGB(x, y), "unmasked pixel " + x + "," + y + " kept");
                }
            }
        }
        assertTrue(Files.exists(out.resolve("grid.png")));
    }

    @Test
    void inpaintRejectsMissingOddOrEmptyMasks() throws IOException {
        Path blank = dir.resolve("blank.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(32, 32, java.awt.image.BufferedImage.TYPE_INT_RGB), "png", blank.toFile());
        Path odd = dir.resolve("odd.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(30, 30, java.awt.image.BufferedImage.TYPE_INT_RGB), "png", odd.toFile());
        Path truncated = dir.resolve("truncated.png"); // issue 12 item 7: was an internal error with an IIOException trace
        byte[] png = Files.readAllBytes(dir.resolve("scene_mask_0.png"));
        Files.write(truncated, java.util.Arrays.copyOf(png, png.length / 2));
        String[][] cases = {{"no file", dir.resolve("missing.png").toString()}, {"32x32", odd.toString()}, {"no white pixels", blank.toString()},
            {"could not be read as an image", truncated.toString()}};
        for (String[] c : cases) {
            CliRun run = CliRun.of("inpaint", "--image", dir.resolve("scene.png").toString(), "--mask", c[1], "--prompt", "a red circle",
                    "--model", dir.resolve("inpaint.zip").toString(), "--out", dir.resolve("never").toString());
            assertEquals(2, run.status(), run.err());
            assertTrue(run.err().contains(c[0]), c[0] + " not in: " + run.err());
        }
        assertFalse(Files.exists(dir.resolve("never")));
    }

    @Test
    void resumeContinuesToTheNewTotalAndStartRefusesToOverwrite() {
        CliRun again = CliRun.of("train", "autoencoder", "--steps", "3", "--batch", "2", "--out", dir.toString());
        assertEquals(2, again.status());
        assertTrue(again.err().contains("already exists") && again.err().contains("resume"), again.err());
        Path copy = dir.resolve("resumed");
        CliRun first = CliRun.of("train", "autoencoder", "--steps", "1", "--batch", "2", "--out", copy.toString());
        assertEquals(0, first.status(), first.err());
        CliRun resumed = CliRun.of("train", "autoencoder", "--steps", "2", "--batch", "2", "--out", copy.toString(), "--resume");
        assertEquals(0, resumed.status(), resumed.err());
        assertEquals(2, Checkpoint.load(copy.resolve("autoencoder.zip"), Models.AUTOENCODER).step());
    }

    @Test
    void theLdmCheckpointHoldsTheWholePipeline() {
        Models.Pipeline p = Models.loadPipeline(ldm, Models.LDM);
        assertTrue(p.latents().scaleFactor() > 0);
        assertEquals(2, p.checkpoint().step());
        assertTrue(p.checkpoint().commandLine().startsWith("ldmlab train ldm"), p.checkpoint().commandLine());
    }

    @Test
    void sampleWritesEveryImageAndAGridTheSameWayForTheSameSeed() throws IOException {
        for (String out : new String[] {"a", "b"}) {
            CliRun run = CliRun.of("sample", "--prompt", "a big red circle on the left", "--model", ldm.toString(),
                    "--n", "3", "--steps", "4", "--seed", "5", "--out", dir.resolve(out).toString());
            assertEquals(0, run.status(), run.err());
        }
        for (String f : new String[] {"0.png", "1.png", "2.png", "grid.png"}) {
            assertTrue(Files.exists(dir.resolve("a").resolve(f)), f);
        }
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("a/1.png")), Files.readAllBytes(dir.resolve("b/1.png"))));
    }

    @Test
    void aPromptOutsideTheCaptionGrammarIsSampledWithANote() {
        CliRun sized = CliRun.of("sample", "--prompt", "a small red square above a big blue circle", "--model", ldm.toString(),
                "--n", "1", "--steps", "2", "--out", dir.resolve("sized").toString());
        assertEquals(0, sized.status(), sized.err());
        assertFalse(sized.out().contains("note:"), sized.out());
        CliRun sizeless = CliRun.of("sample", "--prompt", "a red square above a blue circle", "--model", ldm.toString(),
                "--n", "1", "--steps", "2", "--out", dir.resolve("sizeless").toString());
        assertEquals(0, sizeless.status(), sizeless.err());
        assertTrue(sizeless.out().contains("note: the model was trained only on the dataset's captions"), sizeless.out());
        assertTrue(Files.exists(dir.resolve("sizeless/0.png")));
    }

    @Test
    void workersMustSplitTheBatchEvenly() {
        Path out = dir.resolve("uneven");
        CliRun run = CliRun.of("train", "autoencoder", "--steps", "1", "--batch", "4", "--workers", "3", "--out", out.toString());
        assertEquals(2, run.status(), run.err());
        assertTrue(run.err().contains("--workers must be >= 1 and divide --batch 4"), run.err());
        assertFalse(Files.exists(out), "nothing is written");
    }

    @Test
    void zeroWorkersIsAClearError() {
        Path out = dir.resolve("none");
        CliRun run = CliRun.of("train", "autoencoder", "--steps", "1", "--batch", "4", "--workers", "0", "--out", out.toString());
        assertEquals(2, run.status(), run.err());
        assertTrue(run.err().contains("--workers must be >= 1"), run.err());
        assertFalse(Files.exists(out), "nothing is written");
    }

    @Test
    void badInputIsAClearErrorAndWritesNothing() {
        String[][] cases = {
            {"unknown word 'cirle'", "--prompt", "a big red cirle on the left"},
            {"steps", "--prompt", "a red circle", "--steps", "2000"},
            {"eta", "--prompt", "a big red circle on the left", "--eta", "-1"},
            {"unknown sampler", "--prompt", "a big red circle on the left", "--sampler", "euler"},
            {"--n", "--prompt", "a big red circle on the left", "--n", "0"},
            {"eta must be a number >= 0 and <= 1", "--prompt", "a big red circle on the left", "--eta", "1e308"},
            {"--guidance needs a finite number, got 'NaN'", "--prompt", "a big red circle on the left", "--guidance", "NaN"},
            {"sampling gave NaN or infinite values", "--prompt", "a big red circle on the left", "--guidance", "1e300", "--steps", "2"},
        };
        for (String[] c : cases) {
            Path out = dir.resolve("bad-" + c[0].replaceAll("\\W", ""));
            String[] argv = new String[c.length + 4];
            argv[0] = "sample";
            System.arraycopy(c, 1, argv, 1, c.length - 1);
            argv[c.length] = "--model";
            argv[c.length + 1] = ldm.toString();
            argv[c.length + 2] = "--out";
            argv[c.length + 3] = out.toString();
            assertRefusedWritingNothing(c[0], out, argv);
        }
    }

    @Test
    void theRecipeIsRecordedAndResumingWithAnotherSaysSo() {
        Checkpoint dit = Checkpoint.load(dir.resolve("dit.zip"), Models.LDM);
        assertEquals("5.0E-4, warm-up 1, cosine to 2", dit.trainingSettings().get("lr"));
        assertEquals("min-SNR-5", dit.trainingSettings().get("loss_weighting"));
        assertEquals("min-SNR-5", Checkpoint.load(ldm, Models.LDM).trainingSettings().get("loss_weighting"), "the LDM's default");
        assertEquals("uniform", Checkpoint.load(dir.resolve("inpaint.zip"), Models.INPAINT).trainingSettings().get("loss_weighting"),
                "--min-snr off");
    }

    @Test
    void badRecipeOptionsAreRefusedBeforeTheLatentsAreEncoded() {
        String[][] cases = {
            {"warm-up must be 0 or more steps and end before the run's last step 5", "--warmup", "5"},
            {"warm-up must be 0 or more steps", "--warmup", "-1"},
            {"unknown learning-rate decay 'linear'", "--lr-decay", "linear"},
            {"min-SNR gamma must be > 0", "--min-snr", "0"},
            {"--min-snr needs a finite number", "--min-snr", "Infinity"},
            {"--min-snr needs a number, got 'of'", "--min-snr", "of"},
        };
        for (String[] c : cases) {
            Path out = dir.resolve("recipe-" + c[1] + c[2]);
            String[] argv = {"train", "ldm", "--steps", "5", "--batch", "4", "--pool", "65536", "--out", out.toString(),
                "--autoencoder", dir.resolve("autoencoder.zip").toString(), c[1], c[2]};
            long start = System.nanoTime();
            assertRefusedWritingNothing(c[0], out, argv);
            assertTrue(System.nanoTime() - start < 20e9, "refused before encoding 65,536 latents (minutes)");
        }
        // only the LDM has a default length (the shipped model's 7,000 steps)
        assertRefusedWritingNothing("--steps must be given", dir.resolve("no-steps"), "train", "dit", "--out", dir.resolve("no-steps").toString());
    }

    /** The command line exits 2 naming {@code message}, and nothing appears at {@code out}. */
    private static void assertRefusedWritingNothing(String message, Path out, String... argv) {
        CliRun run = CliRun.of(argv);
        assertEquals(2, run.status(), message + ": " + run.err());
        assertTrue(run.err().contains(message), message + " not named in: " + run.err());
        assertFalse(Files.exists(out), message + ": nothing is written");
    }

    @Test
    void aCorruptOrWrongKindCheckpointIsAClearError() throws IOException {
        Path broken = dir.resolve("broken.zip");
        byte[] bytes = Files.readAllBytes(ldm);
        Files.write(broken, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        CliRun truncated = CliRun.of("sample", "--prompt", "a red circle", "--model", broken.toString(), "--out", dir.resolve("x").toString());
        assertEquals(2, truncated.status());
        assertTrue(truncated.err().contains("corrupt or truncated"), truncated.err());
        CliRun kind = CliRun.of("sample", "--prompt", "a red circle", "--model", dir.resolve("autoencoder.zip").toString(),
                "--out", dir.resolve("y").toString());
        assertEquals(2, kind.status());
        assertTrue(kind.err().contains("'autoencoder'") && kind.err().contains("expected 'ldm'"), kind.err());
    }

    @Test
    void trainNeedsAKindAndSteps() {
        assertEquals(2, CliRun.of("train").status());
        CliRun unknown = CliRun.of("train", "gan", "--steps", "1");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains("autoencoder, ldm, dit, inpaint or classifier"), unknown.err());
        // every kind but the LDM (default: the shipped model's 7,000 steps) needs --steps
        assertTrue(CliRun.of("train", "autoencoder").err().contains("--steps must be given"));
    }

    @Test
    void aDitIsATextToImageCheckpointThatTheSameCommandsSampleAndResume() throws IOException {
        Path dit = dir.resolve("dit.zip");
        Models.Pipeline p = Models.loadPipeline(dit, Models.LDM);
        assertTrue(p.diffusion().denoiser() instanceof org.ldmlab.dit.DiT, "the backbone comes from the checkpoint's settings");
        assertEquals("adaln-zero-cross", ((org.ldmlab.dit.DiTConfig) p.diffusion().denoiser().config()).variant().word());
        assertTrue(p.diffusion().attentionSites().layerNames().contains("dit.blocks.0.attn2"), p.diffusion().attentionSites().layerNames().toString());
        CliRun sample = CliRun.of("sample", "--prompt", "a big red circle on the left", "--model", dit.toString(), "--n", "2",
                "--steps", "3", "--out", dir.resolve("dit-samples").toString());
        assertEquals(0, sample.status(), sample.err());
        assertTrue(Files.exists(dir.resolve("dit-samples/grid.png")));
        Path copy = dir.resolve("dit-resumed");
        Files.createDirectories(copy);
        Files.copy(dit, copy.resolve("dit.zip"));
        CliRun resumed = CliRun.of("train", "dit", "--preset", "S/2-tiny", "--variant", "adaln-zero-cross", "--steps", "3", "--batch", "4",
                "--pool", "64", "--out", copy.toString(), "--autoencoder", dir.resolve("autoencoder.zip").toString(), "--resume");
        assertEquals(0, resumed.status(), resumed.err());
        assertEquals(3, Checkpoint.load(copy.resolve("dit.zip"), Models.LDM).step());
    }

    @Test
    void badDitAndCompareSettingsAreRefusedBeforeAnyWork() {
        String[][] train = {
            {"the paper's model", "--preset", "XL/2"},
            {"unknown DiT preset 'S/3-tiny'", "--preset", "S/3-tiny"},
            {"unknown DiT variant 'adaln_zero'", "--variant", "adaln_zero"},
        };
        for (String[] c : train) {
            Path out = dir.resolve("never-" + c[0].replaceAll("\\W", ""));
            CliRun run = CliRun.of("train", "dit", "--steps", "1", c[1], c[2], "--out", out.toString());
            assertEquals(2, run.status(), c[0] + ": " + run.err());
            assertTrue(run.err().contains(c[0]), c[0] + " not named in: " + run.err());
            assertFalse(Files.exists(out), c[0] + ": nothing is written");
        }
        String[][] compare = {
            {"say what to compare", "colours"},
            {"multiple of 50 x --evals", "conditioning", "--steps", "30"},
            {"the paper's model", "conditioning", "--preset", "S/2"},
            {"--workers must divide --batch", "backbones", "--workers", "3"},
            {"unknown DiT variant", "backbones", "--variant", "film"},
            // train's bounds, and a week: each of these started hours of work (the trial of issue 12)
            {"--lr must be > 0 and <= 1", "conditioning", "--lr", "2"},
            {"--batch must be between 1 and 256", "conditioning", "--batch", "100000000"},
            {"--pool must be between 1 and 65536", "conditioning", "--pool", "2000000000"},
            {"--threads must be between 1 and 64", "conditioning", "--threads", "65"},
            {"--evals must be between 1 and 100", "conditioning", "--evals", "2000000000"},
            {"--budget-minutes must be > 0 and at most 10080", "conditioning", "--budget-minutes", "1e300"},
            {"up to 1000000", "conditioning", "--steps", "4294967400"},
        };
        CliRun figuresInAFile = CliRun.of("compare", "conditioning", "--out", dir.resolve("never-compare").toString(), "--figures",
                dir.resolve("autoencoder.zip").resolve("figures").toString());
        assertEquals(2, figuresInAFile.status(), figuresInAFile.err());
        assertTrue(figuresInAFile.err().contains("autoencoder.zip is a file, not a folder"), figuresInAFile.err());
        Path aFile = dir.resolve("autoencoder.zip");
        CliRun outIsAFile = CliRun.of("compare", "conditioning", "--out", aFile.toString(), "--figures", dir.resolve("never-figures").toString());
        assertEquals(2, outIsAFile.status(), outIsAFile.err());
        assertTrue(outIsAFile.err().contains("is a file"), outIsAFile.err());
        for (String[] c : compare) {
            Path out = dir.resolve("never-compare");
            String[] argv = new String[c.length + 4];
            argv[0] = "compare";
            System.arraycopy(c, 1, argv, 1, c.length - 1);
            argv[c.length] = "--out";
            argv[c.length + 1] = out.toString();
            argv[c.length + 2] = "--figures";
            argv[c.length + 3] = dir.resolve("never-figures").toString();
            CliRun run = CliRun.of(argv);
            assertEquals(2, run.status(), c[0] + ": " + run.err());
            assertTrue(run.err().contains(c[0]), c[0] + " not named in: " + run.err());
            assertFalse(Files.exists(out) || Files.exists(dir.resolve("never-figures")), c[0] + ": nothing is written");
        }
    }

    @Test
    void resumeRefusesAnotherSeedNoStepsLeftAndAnExportAndWarnsOfAnotherBatch() throws IOException {
        Path run = Files.createDirectories(dir.resolve("resume-checks"));
        Path checkpoint = Files.copy(dir.resolve("autoencoder.zip"), run.resolve("autoencoder.zip")); // seed 0, step 2, batch 2
        byte[] saved = Files.readAllBytes(checkpoint);
        String[][] refused = {
            {"was trained with seed 0, and this run's seed is 1", "--steps", "3", "--seed", "1"},
            {"is at step 2 already, and the run is to end at step 2: nothing to train", "--steps", "2"},
            {"is at step 2 already, and the run is to end at step 1: nothing to train", "--steps", "1"},
        };
        for (String[] c : refused) {
            CliRun refusal = CliRun.of(resume(run, c));
            assertEquals(2, refusal.status(), c[0] + ": " + refusal.err());
            assertTrue(refusal.err().contains(c[0]), c[0] + " not in: " + refusal.err());
            assertTrue(java.util.Arrays.equals(saved, Files.readAllBytes(checkpoint)), c[0] + ": the checkpoint is untouched");
        }
        Path exported = Files.createDirectories(dir.resolve("resume-export"));
        assertEquals(0, CliRun.of("export", "--model", checkpoint.toString(), "--kind", "autoencoder", "--out",
                exported.resolve("autoencoder.zip").toString()).status());
        CliRun export = CliRun.of(resume(exported, new String[] {"", "--steps", "3"}));
        assertEquals(2, export.status(), export.err());
        assertTrue(export.err().contains("exported checkpoints cannot be resumed"), export.err());

        CliRun otherBatch = CliRun.withSystemErr(resume(run, new String[] {"", "--steps", "3", "--batch", "4"}));
        assertEquals(0, otherBatch.status(), otherBatch.err());
        assertTrue(otherBatch.err().contains("was trained with batch 2, this run uses batch 4: the resumed run will not repeat an "
                + "uninterrupted one bit for bit"), otherBatch.err());
        assertEquals(3, Checkpoint.load(checkpoint, Models.AUTOENCODER).step());
    }

    @Test
    void resumingAsAnotherModelIsRefusedBeforeTheLatentsAreEncoded() throws IOException {
        // --text-mixing causal trained on from a full-mixing checkpoint with exit 0; a DiT run from a UNet checkpoint
        // failed only after the latents were encoded (50 s at the default --pool)
        String[][] cases = {
            {"ldm", "ldm.zip", "text.mixing full, not causal", "--text-mixing", "causal"},
            {"dit", "dit.zip", "backbone unet, not dit", "--preset", "S/2-tiny"},
        };
        for (String[] c : cases) {
            Path run = Files.createDirectories(dir.resolve("resume-as-" + c[0]));
            Path checkpoint = Files.copy(ldm, run.resolve(c[1]));
            byte[] saved = Files.readAllBytes(checkpoint);
            CliRun refusal = CliRun.withSystemErr("train", c[0], "--resume", "--steps", "3", "--batch", "4", "--pool", "64", c[3], c[4],
                    "--autoencoder", dir.resolve("autoencoder.zip").toString(), "--out", run.toString());
            assertEquals(2, refusal.status(), refusal.err());
            assertTrue(refusal.err().contains(c[2]) && !refusal.err().contains("encode latents"), refusal.err());
            assertTrue(java.util.Arrays.equals(saved, Files.readAllBytes(checkpoint)), "the checkpoint is untouched");
        }
    }

    /** {@code train autoencoder --resume --out DIR} with the options after the first of {@code c}. */
    private static String[] resume(Path out, String[] c) {
        List<String> argv = new java.util.ArrayList<>(List.of("train", "autoencoder", "--resume", "--out", out.toString()));
        argv.addAll(List.of(c).subList(1, c.length));
        if (!argv.contains("--batch")) {
            argv.addAll(List.of("--batch", "2"));
        }
        return argv.toArray(String[]::new);
    }

    @Test
    void hugeOrNonFiniteTrainingOptionsAreRefusedBeforeAnyWork() {
        String[][] cases = {
            {"--lr needs a finite number, got 'Infinity'", "autoencoder", "--lr", "Infinity"},
            {"--lr must be > 0 and <= 1; got 2.0", "classifier", "--lr", "2"},
            {"--batch must be between 1 and 256; got 100000000", "autoencoder", "--batch", "100000000"},
            {"--pool must be between 1 and 65536; got 2000000000", "ldm", "--pool", "2000000000"},
            {"--pool must be between 1 and 65536; got 0", "ldm", "--pool", "0"},
        };
        for (String[] c : cases) {
            Path out = dir.resolve("never-" + c[0].replaceAll("\\W", ""));
            assertRefusedWritingNothing(c[0], out, "train", c[1], "--steps", "1", c[2], c[3], "--out", out.toString());
        }
    }

    @Test
    void aCheckpointWithNanWeightsIsRefusedNamingTheTensor() throws IOException {
        Path nan = dir.resolve("nan-ldm.zip");
        String tensor = "ema/text_encoder.token_embedding";
        try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(ldm.toFile());
                java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(nan))) {
            for (java.util.zip.ZipEntry e : java.util.Collections.list(in.entries())) {
                byte[] bytes = in.getInputStream(e).readAllBytes();
                if (e.getName().equals(tensor + ".npy")) {
                    INDArray poisoned = Npy.fromBytes(bytes);
                    poisoned.putScalar(0, Float.NaN);
                    bytes = Npy.toBytes(poisoned);
                }
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
        CliRun run = CliRun.of("sample", "--prompt", "a red circle", "--model", nan.toString(), "--out", dir.resolve("nan-samples").toString());
        assertEquals(2, run.status(), run.err());
        assertTrue(run.err().contains(nan + ": tensor " + tensor + " holds NaN or Infinity"), run.err());
        assertFalse(Files.exists(dir.resolve("nan-samples")));
    }

    @Test
    void aBadOutIsRefusedBeforeSampling() throws IOException {
        Path full = Files.createDirectories(dir.resolve("full"));
        Files.writeString(full.resolve("keep.txt"), "mine");
        Path aFile = Files.writeString(dir.resolve("out-file"), "x");
        for (Path out : new Path[] {full, aFile}) {
            // a prompt outside the grammar prints its note before sampling: it must not get that far
            CliRun sample = CliRun.withSystemErr("sample", "--prompt", "a red square above a blue circle", "--model", ldm.toString(),
                    "--n", "1", "--steps", "2", "--out", out.toString());
            assertEquals(2, sample.status(), sample.err());
            assertTrue(sample.err().contains(out.toString()), sample.err());
            assertFalse(sample.out().contains("note:") || sample.err().contains("sample ["), "sampled first:\n" + sample.out() + sample.err());
            CliRun inpaint = CliRun.withSystemErr("inpaint", "--image", dir.resolve("scene.png").toString(), "--mask",
                    dir.resolve("scene_mask_0.png").toString(), "--prompt", "a big blue square on the left", "--model",
                    dir.resolve("inpaint.zip").toString(), "--n", "1", "--steps", "2", "--out", out.toString());
            assertEquals(2, inpaint.status(), inpaint.err());
            assertTrue(inpaint.err().contains(out.toString()), inpaint.err());
            assertFalse(inpaint.err().contains("inpaint ["), "sampled first:\n" + inpaint.err());
        }
        assertEquals("mine", Files.readString(full.resolve("keep.txt")));
    }
}
