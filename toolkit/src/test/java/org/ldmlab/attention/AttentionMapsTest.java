package org.ldmlab.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldmlab.InvalidInputException;
import org.ldmlab.cli.CliRun;
import org.ldmlab.ldm.AttentionMapping;
import org.ldmlab.ldm.Models;
import org.ldmlab.ldm.TextToImage;
import org.ldmlab.sampling.SamplerKind;
import org.ldmlab.sampling.SamplerSettings;
import org.ldmlab.sampling.StepCallback;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Maps of the shipped model: recording changes no image, every token gets a normalised map, the command's files. */
class AttentionMapsTest {
    private static final SamplerSettings FEW = new SamplerSettings(SamplerKind.DDIM, 6, 0, 3);
    private static final List<String> PROMPTS = List.of("a big green square on the right", "a small red circle above a big blue square");
    private static TextToImage t2i;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        t2i = TextToImage.of(Models.loadPipeline(Models.shipped(Models.LDM), Models.LDM));
    }

    @Test
    void recordingChangesNoImageAndEveryTokenGetsAMapScaledToOne() {
        INDArray plain = t2i.sample(PROMPTS, FEW, 11, StepCallback.NONE);
        AttentionMapping.Run run = AttentionMapping.sample(t2i, PROMPTS, FEW, 11);
        assertEquals(plain, run.images(), "an AttentionStore only reads");
        assertEquals(5, run.store().layers().size(), "five cross-attention layers: down 8x8, down 4x4, mid, up 4x4, up 8x8");
        TokenMaps maps = run.maps(1, MapAggregation.defaults());
        assertArrayEquals(new long[] {16, 32, 32}, maps.maps().shape());
        assertEquals("<bos>", maps.tokens().get(0));
        INDArray max = maps.maps().max(1, 2);                                  // [L]
        assertEquals(16.0, max.sumNumber().doubleValue(), 1e-3, "each token's map has maximum 1, special tokens too");
        assertEquals(0.0, maps.maps().min(1, 2).maxNumber().doubleValue(), 1e-6, "min-max: every token's map starts at 0");
        TokenMaps byMax = run.maps(1, MapAggregation.everyLayer());
        assertEquals(16.0, byMax.maps().max(1, 2).sumNumber().doubleValue(), 1e-3);
        assertTrue(byMax.maps().min(1, 2).minNumber().doubleValue() > 0, "divided by the maximum only, the floor stays");
    }

    @Test
    void oneLayersMapsWhateverPlacesTheAggregationNames() {
        AttentionMapping.Run run = AttentionMapping.sample(t2i, PROMPTS.subList(0, 1), FEW, 11);
        for (AttentionStore.LayerRecord layer : run.store().layers()) {
            assertArrayEquals(new long[] {16, 32, 32}, run.layerMaps(0, MapAggregation.defaults(), layer.layer()).maps().shape(), layer.layer());
        }
        assertThrows(InvalidInputException.class, () -> run.layerMaps(0, MapAggregation.defaults(), "unet.nowhere"));
    }

    @Test
    void aggregationChoicesThatSelectNothingAreClearErrors() {
        AttentionMapping.Run run = AttentionMapping.sample(t2i, PROMPTS.subList(0, 1), FEW, 11);
        assertThrows(InvalidInputException.class, () -> run.maps(0, MapAggregation.defaults().withLevels(Set.of(16))));
        assertThrows(InvalidInputException.class, () -> MapAggregation.defaults().withSteps(0.8, 0.2));
        String message = assertThrows(InvalidInputException.class, () -> run.maps(0, MapAggregation.defaults().withSteps(0.5, 0.55)))
                .getMessage();
        assertTrue(message.contains("hold no whole window"), message);
    }

    @Test
    void theCommandWritesEveryFigureAndTheMapsAsCsv() throws Exception {
        Path out = dir.resolve("maps");
        CliRun run = CliRun.of("attention", "--prompt", PROMPTS.get(0), "--steps", "6", "--out", out.toString());
        assertEquals(0, run.status(), run.err());
        for (String f : new String[] {"image.png", "tokens.png", "steps.png", "layers.png", "maps.csv"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        List<String> csv = Files.readAllLines(out.resolve("maps.csv"));
        assertEquals("token_index,token,y,x,value", csv.get(0));
        assertEquals(1 + 16 * 32 * 32, csv.size());
        assertTrue(csv.get(1).startsWith("0,<bos>,0,0,"), csv.get(1));
    }

    @Test
    void theScoreCommandPrintsEveryWordClassAndWritesItsCsv() throws Exception {
        Path csv = dir.resolve("score.csv");
        CliRun run = CliRun.of("attention-score", "--n", "3", "--steps", "10", "--csv", csv.toString());
        assertEquals(0, run.status(), run.err());
        for (String kind : new String[] {"| size", "| colour", "| shape", "mask share"}) {
            assertTrue(run.out().contains(kind), kind + " missing in:\n" + run.out());
        }
        assertTrue(Files.readString(csv).startsWith("aggregation,change,tau,word_class,n,miou,"), Files.readString(csv));
        String[][] bad = {{"--n must be between 1 and 10000", "--n", "0"}, {"--tau must lie strictly between 0 and 1", "--tau", "1.5"},
            {"--steps must be at least 10", "--steps", "5"}};
        for (String[] c : bad) {
            CliRun r = CliRun.of("attention-score", c[1], c[2], "--csv", csv.toString());
            assertEquals(2, r.status(), c[0] + ": " + r.err());
            assertTrue(r.err().contains(c[0]), c[0] + " not in: " + r.err());
        }
    }

    @Test
    void badInputIsRefusedBeforeSampling() throws Exception {
        String[][] cases = {
            {"this model's cross-attention layers are at levels [4, 8]", "--levels", "16"},
            {"0 <= from <= to <= 1", "--from", "0.9", "--to", "0.1"},
            {"unknown word 'sqaure'", "--prompt", "a big red sqaure on the left"},
            {"already exists and is not empty", "--out", Files.writeString(Files.createDirectories(dir.resolve("full")).resolve("x"), "x").getParent().toString()},
            {"unknown upsampling", "--upsampling", "lanczos"},
            {"--steps must be at least 3", "--steps", "2"}, // it failed after the sampling: the late third held no step
        };
        for (String[] c : cases) {
            List<String> argv = new java.util.ArrayList<>(List.of("attention", "--prompt", "a big red circle on the left", "--out",
                    dir.resolve("new").toString()));
            for (int i = 1; i < c.length; i += 2) {
                int at = argv.indexOf(c[i]);
                if (at >= 0) {
                    argv.set(at + 1, c[i + 1]);
                } else {
                    argv.add(c[i]);
                    argv.add(c[i + 1]);
                }
            }
            CliRun run = CliRun.of(argv.toArray(String[]::new));
            assertEquals(2, run.status(), c[0] + ": " + run.err());
            assertTrue(run.err().contains(c[0]), c[0] + " not in: " + run.err());
            assertTrue(run.err().lines().count() <= 2, "one line and the usage: " + run.err());
        }
    }
}
