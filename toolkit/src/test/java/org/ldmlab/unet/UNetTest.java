package org.ldmlab.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ldmlab.nn.GradCheck.checkModule;
import static org.ldmlab.nn.GradCheck.randn;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ldmlab.attention.AttentionSite;
import org.ldmlab.attention.AttentionSites;
import org.ldmlab.nn.Init;
import org.ldmlab.nn.TextContext;
import org.ldmlab.nn.Var;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class UNetTest {
    /** A tiny UNet: 4x4 latents with 2 channels, widths 4/8, one concat channel, text width 6. */
    private static UNetConfig tiny(ConditioningKey key) {
        return new UNetConfig(2, 4, 1, new int[] {4, 8}, 6, 2, 2, 4, key);
    }

    @Test
    void predictsNoiseOfTheLatentShapeForEveryConditioningKey() {
        for (ConditioningKey key : ConditioningKey.values()) {
            UNet unet = new UNet(tiny(key), new Init(1));
            Var eps = unet.forward(Var.constant(Nd4j.rand(DataType.FLOAT, 3, 4, 4, 2)), new int[] {0, 5, 999},
                    key.usesCrossAttention() ? new TextContext(Var.constant(Nd4j.rand(DataType.FLOAT, 3, 7, 6)), null) : null,
                    key.usesConcat() ? Var.constant(Nd4j.rand(DataType.FLOAT, 3, 4, 4, 1)) : null);
            assertArrayEquals(new long[] {3, 4, 4, 2}, eps.shape(), key.word());
        }
    }

    @Test
    void startsAtZeroBecauseItsOutputConvolutionIsZeroInitialised() {
        UNet unet = new UNet(tiny(ConditioningKey.CROSSATTN), new Init(1));
        Var eps = unet.forward(Var.constant(Nd4j.rand(DataType.FLOAT, 2, 4, 4, 2)), new int[] {1, 2},
                new TextContext(Var.constant(Nd4j.rand(DataType.FLOAT, 2, 7, 6)), null), null);
        assertEquals(0.0, eps.value().amaxNumber().doubleValue(), 0.0);
    }

    @Test
    void gradientsOfTheWholeHybridUNetMatchFiniteDifferences() {
        UNet unet = new UNet(tiny(ConditioningKey.HYBRID), new Init(2, DataType.DOUBLE));
        TextContext context = new TextContext(Var.constant(randn(3, 2, 7, 6)), null);
        Var concat = Var.constant(randn(4, 2, 4, 4, 1));
        checkModule("UNet", unet, randn(5, 2, 4, 4, 2), z -> unet.forward(z, new int[] {10, 400}, context, concat), 2);
    }

    @Test
    void theAttentionControllerSeesEveryAttentionLayerAndCanChangeTheOutput() {
        UNet unet = new UNet(tiny(ConditioningKey.CROSSATTN), new Init(1));
        for (var p : unet.parameters().values()) {
            p.value().assign(randn(7, p.shape()).castTo(DataType.FLOAT).muli(0.3));
        }
        Var z = Var.constant(Nd4j.rand(DataType.FLOAT, 1, 4, 4, 2));
        TextContext ctx = new TextContext(Var.constant(Nd4j.rand(DataType.FLOAT, 1, 7, 6)), null);
        List<AttentionSite> seen = new ArrayList<>();
        INDArray plain;
        INDArray uniform;
        try (var off = Var.noGrad()) {
            plain = unet.forward(z, new int[] {3}, ctx, null).value();
            AttentionSites sites = new AttentionSites(unet, "unet.");
            try (var attached = sites.attach((site, probs) -> {
                seen.add(site);
                return site.cross() ? probs.ulike().assign(1.0 / probs.size(3)) : probs;
            })) {
                uniform = unet.forward(z, new int[] {3}, ctx, null).value();
            }
            assertEquals(plain, unet.forward(z, new int[] {3}, ctx, null).value(), "closing the scope detaches it");
        }
        assertTrue(seen.stream().allMatch(s -> unet.parameters().containsKey(s.layer().substring("unet.".length()) + ".to_q.weight")),
                "layers are named by their module paths, as the checkpoint names their weights");
        assertEquals(List.of("down", "down", "down", "down", "mid", "mid", "up", "up", "up", "up"),
                seen.stream().map(s -> s.place().word()).toList());
        // 2 down levels + mid + 2 up levels, each a self- and a cross-attention layer
        assertEquals(10, seen.size());
        assertEquals(5, seen.stream().filter(AttentionSite::cross).count());
        assertTrue(seen.stream().anyMatch(s -> s.height() == 2 && s.width() == 2), "the 2x2 level reports its size");
        assertFalse(plain.equalsWithEps(uniform, 1e-6), "replacing the cross-attention maps changes the prediction");
    }
}
