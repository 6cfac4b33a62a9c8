package org.ldmlab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.ldmlab.InvalidInputException;
import org.ldmlab.dit.DiTConfig;
import org.ldmlab.dit.DiTPreset;
import org.ldmlab.dit.DiTVariant;
import org.ldmlab.nn.Denoiser;
import org.ldmlab.nn.DenoiserConfig;
import org.ldmlab.nn.Init;
import org.ldmlab.nn.MacCount;
import org.ldmlab.nn.Module;
import org.ldmlab.nn.TextContext;
import org.ldmlab.nn.Var;
import org.ldmlab.unet.ConditioningKey;
import org.ldmlab.unet.UNetConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class FlopCounterTest {
    /** The toolkit's caption: 16 tokens (Tokenizer.DEFAULT_CONTEXT_LENGTH) of width 64 (the text encoder's). */
    private static final int TOKENS = 16;
    private static final int TEXT_WIDTH = 64;

    /** Gflops of the twelve adaLN-Zero DiTs on 256x256 images (32x32x4 latents): Peebles and Xie 2023, Table 4, "Flops (G)". */
    private static final Map<DiTPreset, Double> TABLE_4 = new EnumMap<>(Map.ofEntries(
            Map.entry(DiTPreset.S_8, 0.36), Map.entry(DiTPreset.S_4, 1.41), Map.entry(DiTPreset.S_2, 6.06),
            Map.entry(DiTPreset.B_8, 1.42), Map.entry(DiTPreset.B_4, 5.56), Map.entry(DiTPreset.B_2, 23.01),
            Map.entry(DiTPreset.L_8, 5.01), Map.entry(DiTPreset.L_4, 19.70), Map.entry(DiTPreset.L_2, 80.71),
            Map.entry(DiTPreset.XL_8, 7.39), Map.entry(DiTPreset.XL_4, 29.05), Map.entry(DiTPreset.XL_2, 118.64)));

    private static FlopCounter paper(DiTPreset preset) {
        return FlopCounter.of(preset.config(DiTVariant.ADALN_ZERO, TEXT_WIDTH), TOKENS);
    }

    /** Whether a row is a module (not a score product or the caption pooling). */
    private static boolean isModule(FlopCounter.Row row) {
        return !row.layer().contains(" (");
    }

    @Test
    void thePapersTwelveModelsCountAsTable4Within1Percent() {
        // The paper's models are class-conditional (the label embedding is a look-up, 0 flops); these read a pooled
        // caption through y_embedder, Linear(64, d): 16 * 64 + 64 d multiply-adds, under 0.1 Mflops. Both are counted.
        for (DiTPreset preset : TABLE_4.keySet()) {
            double expected = TABLE_4.get(preset);
            double counted = paper(preset).totalGflops();
            assertEquals(expected, counted, 0.01 * expected, preset.word() + ": counted " + counted + " Gflops");
        }
    }

    @Test
    void halvingThePatchQuadruplesThePerTokenLayersAndMultipliesAttentionBy16() {
        // "p = 4 to p = 2" for XL: T = (32/p)^2 goes from 64 to 256 tokens; the parameters barely change.
        Map<String, Long> p4 = macsByLayer(paper(DiTPreset.XL_4));
        Map<String, Long> p2 = macsByLayer(paper(DiTPreset.XL_2));
        for (int i = 0; i < DiTPreset.XL_2.config(DiTVariant.ADALN_ZERO, TEXT_WIDTH).depth(); i++) {
            String b = "blocks." + i;
            for (String perToken : List.of(b + ".attn", b + ".mlp.fc1", b + ".mlp.fc2")) {
                assertEquals(4 * p4.get(perToken), p2.get(perToken), perToken + ": T * d * d', 4x the tokens");
            }
            for (String scores : List.of(b + ".attn (QK^T)", b + ".attn (AV)")) {
                assertEquals(16 * p4.get(scores), p2.get(scores), scores + ": T * T * d, 4x the queries of 4x the keys");
            }
            assertEquals(p4.get(b + ".adaLN_modulation"), p2.get(b + ".adaLN_modulation"), "once per image, not per token");
        }
        // the patch embedding and the final linear see T tokens of p^2 C values: T p^2 = 32^2 whatever p is
        assertEquals(p4.get("x_embedder"), p2.get("x_embedder"));
        assertEquals(p4.get("final_layer.linear"), p2.get("final_layer.linear"));
        // In all, XL/4 29.04 -> XL/2 118.62 Gflops (Table 4: 29.05 -> 118.64), 4.08x: a little over 4 because the
        // attention products, 16x, grow from 0.9% (0.26 of 29.04 Gflops) to 3.6% (4.23 of 118.62) of the total.
        assertEquals(29.04, paper(DiTPreset.XL_4).totalGflops(), 0.005);
        assertEquals(118.62, paper(DiTPreset.XL_2).totalGflops(), 0.005);
        assertEquals(0.0091, attentionShare(paper(DiTPreset.XL_4)), 0.00005);
        assertEquals(0.0356, attentionShare(paper(DiTPreset.XL_2)), 0.00005);
    }

    @Test
    void theCountOfARealForwardPassIsTheAnalyticCountExactly() {
        for (DenoiserConfig config : everyModel()) {
            FlopCounter analytic = FlopCounter.of(config, contextTokens(config));
            Denoiser model = config.build(new Init(3));
            assertEquals(analytic.totalMacs(), instrumentedMacs(model, 1), config.toString());
            assertEquals(3 * analytic.totalMacs(), instrumentedMacs(model, 3), "batch 3: " + config);
        }
    }

    @Test
    void theAnalyticParametersAreTheBuiltModelsLayerByLayer() {
        for (DenoiserConfig config : everyModel()) {
            FlopCounter count = FlopCounter.of(config, contextTokens(config));
            Denoiser model = config.build(new Init(3));
            assertEquals(model.parameterCount(), count.totalParams(), config.toString());
            Map<String, Module> modules = model.namedModules();
            for (FlopCounter.Row row : count.rows()) {
                if (isModule(row)) {
                    assertTrue(modules.containsKey(row.layer()), row.layer() + " is a module path of " + config);
                    assertEquals(modules.get(row.layer()).parameterCount(), row.params(), row.layer() + " of " + config);
                } else {
                    assertEquals(0, row.params(), row.layer());
                }
            }
        }
    }

    @Test
    void theTableListsEveryLayerThenTheTotal() {
        FlopCounter count = FlopCounter.of(UNetConfig.textToImage(TEXT_WIDTH), TOKENS);
        var table = count.table();
        assertEquals(List.of("layer", "kind", "params", "gflops"), table.columnNames());
        assertEquals(count.rows().size() + 1, table.rowCount());
        assertEquals("total", table.stringColumn("layer").get(table.rowCount() - 1));
        assertEquals(count.totalGflops(), table.doubleColumn("gflops").get(table.rowCount() - 1), 0);
        assertEquals(count.totalParams(), table.longColumn("params").get(table.rowCount() - 1));
        assertEquals(2 * count.totalGflops(), count.guidedStepGflops(), 0);
        assertEquals(Set.of(FlopCounter.Kind.CONV, FlopCounter.Kind.LINEAR, FlopCounter.Kind.EMBEDDING, FlopCounter.Kind.ATTENTION,
                FlopCounter.Kind.NORM), count.rows().stream().map(FlopCounter.Row::kind).collect(Collectors.toSet()));
    }

    @Test
    void aUNetWhoseLevelsCannotHalveTheLatentIsRejected() {
        UNetConfig t2i = UNetConfig.textToImage(TEXT_WIDTH);
        UNetConfig odd = new UNetConfig(4, 7, 0, t2i.channels(), TEXT_WIDTH, 4, 8, 64, ConditioningKey.CROSSATTN);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> FlopCounter.of(odd, TOKENS));
        assertTrue(e.getMessage().contains("divisible by 2"), e.getMessage());
    }

    /**
     * The toolkit's UNets (text-to-image; hybrid inpainting, whose input joins 5 concat channels; a concat-only one)
     * and DiTs of every variant: the -tiny presets, and small hand-made ones with patch 1, 2 and 4 on 4x4x2 latents,
     * captions of width 6 (one of them learning Sigma).
     */
    private static List<DenoiserConfig> everyModel() {
        List<DenoiserConfig> models = new ArrayList<>(List.of(UNetConfig.textToImage(TEXT_WIDTH), UNetConfig.inpainting(TEXT_WIDTH),
                new UNetConfig(4, 8, 3, new int[] {8, 16, 16}, TEXT_WIDTH, 2, 4, 8, ConditioningKey.CONCAT)));
        for (DiTVariant variant : DiTVariant.values()) {
            for (DiTPreset preset : DiTPreset.values()) {
                if (!preset.paper()) {
                    models.add(preset.config(variant, TEXT_WIDTH));
                }
            }
            for (int patch : new int[] {1, 2, 4}) {
                models.add(new DiTConfig(variant, 4, 2, patch, 2, 8, 2, 6, 4, patch == 2));
            }
        }
        return models;
    }

    /** Captions of 16 tokens for the toolkit's models, of 5 for the hand-made DiTs (the count takes any length). */
    private static int contextTokens(DenoiserConfig config) {
        return config.contextDim() == TEXT_WIDTH ? TOKENS : 5;
    }

    /** MacCount of one forward pass on random inputs of {@code batch} samples, captions with some padding. */
    private static long instrumentedMacs(Denoiser model, int batch) {
        DenoiserConfig c = model.config();
        int side = c.latentSize();
        int m = contextTokens(c);
        INDArray real = Nd4j.ones(DataType.FLOAT, batch, m);
        real.get(NDArrayIndex.point(0), NDArrayIndex.interval(3, m)).assign(0); // the first caption has 3 real tokens
        TextContext text = c.usesText() ? new TextContext(Var.constant(Nd4j.rand(DataType.FLOAT, batch, m, c.contextDim())), real) : null;
        Var concat = c.concatChannels() > 0 ? Var.constant(Nd4j.rand(DataType.FLOAT, batch, side, side, c.concatChannels())) : null;
        Var zt = Var.constant(Nd4j.rand(DataType.FLOAT, batch, side, side, c.latentChannels()));
        int[] t = new int[batch];
        try (var off = Var.noGrad()) {
            return MacCount.of(() -> model.forward(zt, t, text, concat));
        }
    }

    private static Map<String, Long> macsByLayer(FlopCounter count) {
        return count.rows().stream().collect(Collectors.toMap(FlopCounter.Row::layer, FlopCounter.Row::macs));
    }

    private static double attentionShare(FlopCounter count) {
        return count.rows().stream().filter(r -> r.kind() == FlopCounter.Kind.ATTENTION).mapToLong(FlopCounter.Row::macs).sum()
                / (double) count.totalMacs();
    }
}
