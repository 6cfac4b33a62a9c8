package org.ldmlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldmlab.dit.DiTPreset;
import org.ldmlab.dit.DiTVariant;
import org.ldmlab.ldm.Models;
import org.ldmlab.metrics.FlopCounter;
import org.ldmlab.unet.UNetConfig;

class FlopsCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesOneCsvRowPerLayerThenTheTotal() throws IOException {
        Path csv = dir.resolve("nested/flops.csv");
        CliRun run = CliRun.of("flops", "--preset", "S/2-tiny", "--variant", "cross-attention", "--csv", csv.toString());
        assertEquals(0, run.status(), run.err());
        FlopCounter expected = FlopCounter.of(DiTPreset.S_2_TINY.config(DiTVariant.CROSS_ATTENTION, 64), 16);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("layer,kind,params,gflops", lines.get(0));
        assertEquals(expected.rows().size() + 2, lines.size());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("blocks.0.attn2 (QK^T),attention,0,")), String.join("\n", lines));
        String[] total = lines.get(lines.size() - 1).split(",");
        assertEquals("total", total[0]);
        assertEquals(expected.totalParams(), Long.parseLong(total[2]));
        assertEquals(expected.totalGflops(), Double.parseDouble(total[3]), 1e-12);
        double sum = lines.subList(1, lines.size() - 1).stream().mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(',') + 1))).sum();
        assertEquals(expected.totalGflops(), sum, 1e-9);
        assertTrue(run.out().contains("S/2-tiny (cross-attention) on 8x8x4 latents, 16 caption tokens"), run.out());
        assertTrue(run.out().contains(String.format("%.5g Gflops per forward", expected.totalGflops())), run.out());
        assertTrue(run.out().contains(String.format("%.5g per guided sampling step", expected.guidedStepGflops())), run.out());
    }

    @Test
    void countsTheToolkitsUNetAndTheShippedCheckpointAlike() {
        String unet = CliRun.of("flops", "--preset", "unet").out();
        String shipped = CliRun.of("flops", "--model", Models.shipped(Models.LDM).toString()).out();
        FlopCounter expected = FlopCounter.of(UNetConfig.textToImage(64), 16);
        String total = String.format("%.5g Gflops per forward", expected.totalGflops());
        assertTrue(unet.contains("unet on 8x8x4 latents, 16 caption tokens: " + total), unet);
        assertTrue(shipped.contains(total), "the shipped LDM's noise model is the toolkit's UNet: " + shipped);
        CliRun inpaint = CliRun.of("flops", "--model", Models.shipped(Models.INPAINT).toString(), "--latent", "16x16x4");
        assertEquals(0, inpaint.status(), inpaint.err());
        assertTrue(inpaint.out().contains("on 16x16x4 latents"), inpaint.out());
    }

    @Test
    void theLatentGridChangesTheCount() {
        // XL/2 on 512x512 images, 64x64x4 latents: T = 1024 tokens (Table 4 gives 524.60 Gflops)
        CliRun run = CliRun.of("flops", "--preset", "XL/2", "--latent", "64x64x4");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("XL/2 (adaln-zero) on 64x64x4 latents"), run.out());
        double gflops = Double.parseDouble(run.out().replaceAll("(?s).*caption tokens: ([0-9.]+) Gflops per forward.*", "$1"));
        assertEquals(524.60, gflops, 0.01 * 524.60);
    }

    @Test
    void badInputExitsTwoNamingTheProblemAndWritesNothing() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("a-folder"));
        String csv = dir.resolve("out.csv").toString();
        assertRejected("give either --model PATH or --preset NAME", "--csv", csv);
        assertRejected("give either --model PATH or --preset NAME", "--preset", "unet", "--model", "x.zip", "--csv", csv);
        assertRejected("unknown DiT preset 'XXL/2'; choose S/8", "--preset", "XXL/2", "--csv", csv);
        assertRejected(", or unet", "--preset", "XXL/2", "--csv", csv);
        assertRejected("unknown DiT variant 'film'", "--preset", "B/2", "--variant", "film", "--csv", csv);
        assertRejected("the UNet has none", "--preset", "unet", "--variant", "adaln", "--csv", csv);
        assertRejected("a checkpoint's model has its own", "--model", "x.zip", "--variant", "adaln", "--csv", csv);
        assertRejected("--latent needs HxWxC, e.g. 32x32x4; got '32x32'", "--preset", "B/2", "--latent", "32x32", "--csv", csv);
        assertRejected("--latent must be square", "--preset", "B/2", "--latent", "32x16x4", "--csv", csv);
        assertRejected("--latent sides and channels must be 1..1024", "--preset", "B/2", "--latent", "0x0x4", "--csv", csv);
        assertRejected("patch size 8 does not tile the 12x12 latent grid", "--preset", "XL/8", "--latent", "12x12x4", "--csv", csv);
        assertRejected("must be divisible by 2", "--preset", "unet", "--latent", "7x7x4", "--csv", csv);
        assertRejected("no checkpoint at", "--model", dir.resolve("none.zip").toString(), "--csv", csv);
        assertRejected("holds a 'autoencoder' checkpoint, expected 'ldm' or 'inpaint'",
                "--model", Models.shipped(Models.AUTOENCODER).toString(), "--csv", csv);
        assertRejected("it is a folder", "--preset", "unet", "--csv", folder.toString());
        assertRejected("unknown option --patch", "--preset", "unet", "--patch", "2", "--csv", csv);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(folder), files.toList());
        }
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(0, files.count());
        }
    }

    private static void assertRejected(String message, String... options) {
        String[] argv = Stream.concat(Stream.of("flops"), Stream.of(options)).toArray(String[]::new);
        CliRun run = CliRun.of(argv);
        assertEquals(2, run.status(), String.join(" ", argv) + ": " + run.err());
        assertTrue(run.err().contains(message), "expected '" + message + "' in: " + run.err());
    }
}
