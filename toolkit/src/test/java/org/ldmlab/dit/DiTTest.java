package org.ldmlab.dit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ldmlab.nn.GradCheck.checkModule;
import static org.ldmlab.nn.GradCheck.randn;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ldmlab.InvalidInputException;
import org.ldmlab.attention.AttentionSite;
import org.ldmlab.attention.AttentionSites;
import org.ldmlab.nn.Init;
import org.ldmlab.nn.TextContext;
import org.ldmlab.nn.Var;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DiTTest {
    /** 4x4x2 latents, patch p, 2 blocks of width 8 with 2 heads, captions of 5 tokens of width 6. */
    private static DiTConfig tiny(DiTVariant variant, int patch) {
        return new DiTConfig(variant, 4, 2, patch, 2, 8, 2, 6, 4, false);
    }

    private static TextContext caption(long seed, long batch, DataType type) {
        INDArray real = Nd4j.createFromArray(new float[][] {{1, 1, 1, 0, 0}, {1, 1, 1, 1, 1}, {1, 1, 0, 0, 0}})
                .get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, batch)).castTo(type);
        return new TextContext(Var.constant(randn(seed, batch, 5, 6).castTo(type)), real);
    }

    private static void randomise(DiT dit, long seed) {
        for (var p : dit.parameters().values()) {
            p.value().assign(randn(seed++, p.shape()).castTo(p.value().dataType()).muli(0.3));
        }
    }

    @Test
    void patchifyCutsPatchesRowByRowAndUnpatchifyUndoesIt() {
        INDArray z = Nd4j.arange(2 * 4 * 4 * 3).castTo(DataType.FLOAT).reshape(2, 4, 4, 3); // [B, I, I, C]
        Var tokens = Patches.patchify(Var.constant(z), 2);
        assertArrayEquals(new long[] {2, 4, 12}, tokens.shape(), "T = (4/2)^2 = 4 tokens of p*p*C = 12 values");
        // token 1 of image 0 is the top-right patch: rows 0-1, columns 2-3, values in (dy, dx, c) order
        float[] expected = new float[12];
        int i = 0;
        for (int dy = 0; dy < 2; dy++) {
            for (int dx = 0; dx < 2; dx++) {
                for (int c = 0; c < 3; c++) {
                    expected[i++] = z.getFloat(0, dy, 2 + dx, c);
                }
            }
        }
        assertArrayEquals(expected, tokens.value().get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.point(1)).toFloatVector());
        for (int p : new int[] {1, 2, 4}) {
            assertEquals(z, Patches.unpatchify(Patches.patchify(Var.constant(z), p), p, 3).value(), "p = " + p);
        }
    }

    @Test
    void thePositionEmbeddingEncodesRowAndColumnWithSinesAndCosines() {
        INDArray e = PositionEmbedding.sinCos2d(4, 8, DataType.DOUBLE); // [1, 16, 8]: quarters sin(row), cos(row), sin(col), cos(col)
        assertArrayEquals(new long[] {1, 16, 8}, e.shape());
        int token = 2 * 4 + 3; // row 2, column 3
        assertEquals(Math.sin(2.0), e.getDouble(0, token, 0), 1e-6);
        assertEquals(Math.cos(2.0), e.getDouble(0, token, 2), 1e-6);
        assertEquals(Math.sin(3.0 * Math.pow(10000, -0.5)), e.getDouble(0, token, 5), 1e-6);
        assertEquals(Math.cos(3.0 * Math.pow(10000, -0.5)), e.getDouble(0, token, 7), 1e-6);
        for (int a = 0; a < 16; a++) {
            for (int b = a + 1; b < 16; b++) {
                assertFalse(e.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(a))
                        .equalsWithEps(e.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(b)), 1e-3),
                        "tokens " + a + " and " + b + " get different positions");
            }
        }
    }

    @Test
    void aFreshAdaLnZeroBlockIsTheIdentityButAFreshAdaLnBlockIsNot() {
        INDArray x = randn(1, 3, 16, 8).castTo(DataType.FLOAT);  // [B, T, d]
        Var c = Var.constant(randn(2, 3, 8).castTo(DataType.FLOAT)); // [B, d]
        try (var off = Var.noGrad()) {
            assertEquals(x, new AdaLnZeroBlock(8, 0, 2, new Init(3)).forward(Var.constant(x), c, null, 4, 4).value(),
                    "gates start at 0: x + 0 * Attn(...) + 0 * MLP(...) = x exactly");
            assertFalse(x.equalsWithEps(new AdaLnBlock(8, 2, new Init(3)).forward(Var.constant(x), c, null, 4, 4).value(), 1e-3));
        }
    }

    @Test
    void everyFreshVariantPredictsZeroOfTheLatentShapeAtEveryPatchSize() {
        for (DiTVariant variant : DiTVariant.values()) {
            for (int p : new int[] {1, 2, 4}) {
                DiT dit = new DiT(tiny(variant, p), new Init(4));
                try (var off = Var.noGrad()) {
                    Var eps = dit.forward(Var.constant(Nd4j.rand(DataType.FLOAT, 3, 4, 4, 2)), new int[] {0, 500, 999},
                            caption(5, 3, DataType.FLOAT), null);
                    assertArrayEquals(new long[] {3, 4, 4, 2}, eps.shape(), variant.word() + " p=" + p);
                    assertEquals(0.0, eps.value().amaxNumber().doubleValue(), 0.0, "the final linear starts at zero");
                }
            }
        }
    }

    @Test
    void learningSigmaDoublesTheOutputButTheModelReturnsEps() {
        DiTConfig config = new DiTConfig(DiTVariant.ADALN_ZERO, 4, 2, 2, 1, 8, 2, 6, 4, true);
        DiT dit = new DiT(config, new Init(4));
        randomise(dit, 10);
        assertEquals(4, config.outputChannels());
        assertArrayEquals(new long[] {2, 4, 4, 2}, dit.forward(Var.constant(Nd4j.rand(DataType.FLOAT, 2, 4, 4, 2)),
                new int[] {1, 2}, caption(5, 2, DataType.FLOAT), null).shape());
    }

    @Test
    void gradientsOfEveryVariantMatchFiniteDifferences() {
        for (DiTVariant variant : DiTVariant.values()) {
            DiT dit = new DiT(tiny(variant, 2), new Init(6, DataType.DOUBLE));
            randomise(dit, 20); // away from the zero initialisation, so every path carries a gradient
            TextContext text = caption(7, 2, DataType.DOUBLE);
            checkModule("DiT " + variant.word(), dit, randn(8, 2, 4, 4, 2), z -> dit.forward(z, new int[] {10, 400}, text, null), 2);
        }
    }

    @Test
    void thePooledCaptionAveragesTheRealTokensOnly() {
        TextContext text = caption(9, 3, DataType.DOUBLE);
        INDArray pooled = text.pooled().value(); // [B, d]
        INDArray tokens = text.tokens().value();
        INDArray firstThree = tokens.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3)).mean(0);
        assertTrue(firstThree.equalsWithEps(pooled.getRow(0), 1e-12), "row 0 has 3 real tokens of 5");
        assertTrue(tokens.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1)).mean(0).equalsWithEps(pooled.getRow(1), 1e-12));
    }

    @Test
    void theCrossAttentionVariantsExposeTheirCrossAttentionToControllers() {
        for (DiTVariant variant : List.of(DiTVariant.CROSS_ATTENTION, DiTVariant.ADALN_ZERO_CROSS)) {
            DiT dit = new DiT(tiny(variant, 1), new Init(1));
            randomise(dit, 30);
            Var z = Var.constant(Nd4j.rand(DataType.FLOAT, 1, 4, 4, 2));
            TextContext text = caption(11, 1, DataType.FLOAT);
            List<AttentionSite> seen = new ArrayList<>();
            List<long[]> shapes = new ArrayList<>();
            try (var off = Var.noGrad()) {
                INDArray plain = dit.forward(z, new int[] {3}, text, null).value();
                INDArray uniform;
                try (var attached = new AttentionSites(dit, "dit.").attach((site, probs) -> {
                    seen.add(site);
                    shapes.add(probs.shape());
                    return site.cross() ? probs.ulike().assign(1.0 / probs.size(3)) : probs;
                })) {
                    uniform = dit.forward(z, new int[] {3}, text, null).value();
                }
                assertFalse(plain.equalsWithEps(uniform, 1e-6), variant.word() + ": editing the maps changes the prediction");
            }
            assertEquals(List.of("dit.blocks.0.attn", "dit.blocks.0.attn2", "dit.blocks.1.attn", "dit.blocks.1.attn2"),
                    seen.stream().map(AttentionSite::layer).toList());
            assertArrayEquals(new long[] {1, 2, 16, 5}, shapes.get(1), "a cross-attention map: [B, heads, 4x4 tokens, 5 caption tokens]");
            assertEquals(4, seen.get(1).height());
        }
    }

    @Test
    void presetsAndBadShapesAreCheckedWithAReason() {
        assertEquals(256, DiTPreset.XL_2.config(DiTVariant.ADALN_ZERO, 64).tokens(), "XL/2 on 32x32 latents: 16 x 16 tokens");
        assertEquals(DiTPreset.S_2_TINY, DiTPreset.parse("S/2-tiny"));
        assertFalse(DiTPreset.S_2_TINY.paper());
        assertThrows(InvalidInputException.class, () -> DiTPreset.parse("XXL/2"));
        assertThrows(InvalidInputException.class, () -> tiny(DiTVariant.ADALN, 3));
        assertEquals(DiTVariant.IN_CONTEXT, DiTVariant.parse("in-context"));
        assertThrows(InvalidInputException.class, () -> DiTVariant.parse("adaln_zero"));
    }

    @Test
    void classifierFreeGuidanceGuidesEveryLatentChannelOfADiTThatLearnsSigma() {
        // The DiT reference code guides 3 of the 4 channels (a known slip); here eps has C channels and all are guided.
        org.ldmlab.text.Tokenizer tokenizer = org.ldmlab.text.Tokenizer.forShapes();
        org.ldmlab.text.TextEncoderConfig text = org.ldmlab.text.TextEncoderConfig.forTokenizer(tokenizer, org.ldmlab.text.TokenMixing.FULL);
        DiTConfig config = new DiTConfig(DiTVariant.ADALN_ZERO, 8, 4, 2, 1, 16, 2, text.width(), 8, true);
        var ldm = new org.ldmlab.ldm.LatentDiffusion(tokenizer, text, config, org.ldmlab.schedule.NoiseSchedule.of("scaled_linear", 1000), new Init(3));
        randomise((DiT) ldm.denoiser(), 40);
        INDArray xt = randn(41, 1, 4, 8, 8).castTo(DataType.FLOAT); // [B, c, h, w]
        int[] t = {500};
        var cond = ldm.conditioning(List.of("a big red circle on the left"), null);
        var uncond = ldm.conditioning(List.of(""), null);
        INDArray epsC = ldm.noiseModel().predictEps(xt, t, cond);
        INDArray epsU = ldm.noiseModel().predictEps(xt, t, uncond);
        INDArray guided = new org.ldmlab.sampling.ClassifierFreeGuidance(ldm.noiseModel(), uncond, 3).predictEps(xt, t, cond);
        assertArrayEquals(new long[] {1, 4, 8, 8}, guided.shape());
        assertTrue(guided.equalsWithEps(epsU.add(epsC.sub(epsU).mul(3)), 1e-4), "eps_u + s (eps_c - eps_u)");
        for (int c = 0; c < 4; c++) {
            INDArray channel = guided.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(c));
            INDArray conditional = epsC.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(c));
            assertFalse(channel.equalsWithEps(conditional, 1e-3), "channel " + c + " is guided");
        }
    }
}
