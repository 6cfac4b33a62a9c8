package org.ldmlab.ldm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldmlab.InvalidInputException;
import org.ldmlab.p2p.EditSettings;
import org.ldmlab.p2p.PromptToPrompt;
import org.ldmlab.sampling.SamplerKind;
import org.ldmlab.sampling.SamplerSettings;
import org.ldmlab.sampling.StepCallback;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Real images into the shipped model and back: the round trip's error, null-text inversion, saving, and editing from it. */
class ImageInversionTest {
    private static Models.Pipeline pipeline;
    private static ImageInversion inversion;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        pipeline = Models.loadPipeline(Models.shipped(Models.LDM), Models.LDM);
        inversion = ImageInversion.of(pipeline);
    }

    /**
     * Measured on these 4 scenes with the shipped LDM: latent MSE 0.0008 to 0.0017, and PSNR from 0.09 dB above to 0.71 dB
     * below the autoencoder's own (D(E(x)) against x); the bounds leave room for BLAS rounding on other machines.
     */
    @Test
    void atGuidanceOneWithFiftyStepsTheRoundTripIsClose() {
        InversionBenchmark.Scenes scenes = InversionBenchmark.scenes(4, 0);
        List<Inversion> inverted = inversion.invert(scenes.images(), scenes.captions(), new InversionSettings(50, 1, 1, false), StepCallback.NONE);
        ImageInversion.RoundTrip trip = inversion.roundTrip(scenes.images(), inverted, StepCallback.NONE);
        double[] ceiling = inversion.autoencoderPsnr(scenes.images());
        for (int i = 0; i < 4; i++) {
            assertTrue(trip.latentMse()[i] < 0.003, "scene " + i + ": latent MSE " + trip.latentMse()[i]);
            assertTrue(trip.psnr()[i] > ceiling[i] - 1, "scene " + i + ": PSNR " + trip.psnr()[i] + " vs the autoencoder's " + ceiling[i]);
        }
    }

    /** Measured with the shipped LDM: null-text 41.6 and 31.2 dB, plain DDIM inversion 35.0 and 26.6 dB. */
    @Test
    void nullTextInversionReconstructsBetterThanPlainDdimInversionAtGuidanceThree() {
        InversionBenchmark.Scenes scenes = InversionBenchmark.scenes(2, 0);
        InversionSettings plain = new InversionSettings(10, 3, 1, false);
        double[] ddim = inversion.roundTrip(scenes.images(), inversion.invert(scenes.images(), scenes.captions(), plain, StepCallback.NONE),
                StepCallback.NONE).psnr();
        List<Inversion> fitted = inversion.invert(scenes.images(), scenes.captions(), plain.withNullText(true), StepCallback.NONE);
        double[] nullText = inversion.roundTrip(scenes.images(), fitted, StepCallback.NONE).psnr();
        for (int i = 0; i < 2; i++) {
            assertTrue(nullText[i] > ddim[i] + 1, "scene " + i + ": null-text " + nullText[i] + " dB, DDIM " + ddim[i] + " dB");
        }
        INDArray embeddings = fitted.get(0).nullText();                                 // [S, M, d]
        assertEquals(10, embeddings.size(0));
        INDArray empty = pipeline.diffusion().conditioning(List.of(""), null).context();  // [1, M, d]
        assertArrayEquals(empty.shape(), fitted.get(0).nullTextAt(9).shape());
        assertNotEquals(empty, fitted.get(0).nullTextAt(9), "the optimisation moved the embedding");
    }

    @Test
    void editingFromAnInversionWithTheSourceAsTargetGivesTheReconstructionTwice() {
        InversionBenchmark.Scenes scenes = InversionBenchmark.scenes(1, 3);
        Inversion inverted = inversion.invert(scenes.images(), scenes.captions(), new InversionSettings(4, 3, 1, true), StepCallback.NONE).get(0);
        INDArray reconstruction = inversion.roundTrip(scenes.images(), List.of(inverted), StepCallback.NONE)
                .reconstruction().get(NDArrayIndex.point(0));                               // [3, H, W]
        PromptToPrompt.Result result = PromptToPrompt.of(pipeline).edit(List.of(PromptToPrompt.Request.ofImage(inverted,
                inverted.caption(), EditSettings.defaults())), inverted.sampler(), null, StepCallback.NONE).get(0);
        assertClose(reconstruction, result.source());
        assertClose(reconstruction, result.edited());
    }

    @Test
    void aSavedInversionLoadsBackAndRefusesOtherStepsOrGuidance() throws Exception {
        InversionBenchmark.Scenes scenes = InversionBenchmark.scenes(1, 0);
        Inversion inverted = inversion.invert(scenes.images(), scenes.captions(), new InversionSettings(2, 2, 1, true), StepCallback.NONE).get(0);
        inverted.save(dir);
        Inversion loaded = Inversion.load(dir);
        assertEquals(inverted.caption(), loaded.caption());
        assertEquals(inverted.settings(), loaded.settings());
        assertEquals(inverted.zT(), loaded.zT());
        assertEquals(inverted.nullText(), loaded.nullText());
        assertThrows(InvalidInputException.class, () -> loaded.check(new SamplerSettings(SamplerKind.DDIM, 3, 0, 2)));
        assertThrows(InvalidInputException.class, () -> loaded.check(new SamplerSettings(SamplerKind.DDIM, 2, 0, 3)));
        Files.write(dir.resolve("zT.npy"), new byte[] {1, 2, 3});
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Inversion.load(dir));
        assertTrue(e.getMessage().contains("zT.npy is not a readable .npy file"), e.getMessage());
        assertTrue(assertThrows(InvalidInputException.class, () -> Inversion.load(dir.resolve("nothing"))).getMessage().contains("no saved inversion"));
    }

    @Test
    void badInputIsRefusedBeforeAnyWork() {
        InversionBenchmark.Scenes scenes = InversionBenchmark.scenes(2, 0);
        InversionSettings settings = InversionSettings.defaults();
        assertThrows(InvalidInputException.class, () -> inversion.check(scenes.images(), List.of("a big purple circle on the left", "x"), settings));
        assertThrows(InvalidInputException.class, () -> inversion.check(scenes.images(), scenes.captions().subList(0, 1), settings));
        assertTrue(assertThrows(InvalidInputException.class, () -> new InversionSettings(50, 1, 1, true)).getMessage().contains("s = 1"));
        assertThrows(InvalidInputException.class, () -> new InversionSettings(0, 3, 1, false));
        assertThrows(InvalidInputException.class, () -> new InversionSettings(InversionSettings.MAX_STEPS + 1, 3, 1, false));
        assertThrows(InvalidInputException.class, () -> new InversionSettings(50, Double.NaN, 1, false));
    }

    private static void assertClose(INDArray expected, INDArray actual) {
        double error = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(error < 1e-3, "max |difference| " + error + " (shapes " + Arrays.toString(expected.shape()) + ")");
    }
}
