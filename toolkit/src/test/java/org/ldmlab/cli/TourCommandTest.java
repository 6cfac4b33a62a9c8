package org.ldmlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldmlab.checkpoint.Checkpoint;
import org.ldmlab.checkpoint.CheckpointBuilder;
import org.ldmlab.ldm.Models;

/** The README's first command: `ldmlab tour` renders its figures, deterministically, and none is blank. */
class TourCommandTest {
    private static final String[] FIGURES = {"dataset_preview.png", "forward_noising.png", "schedules.png", "samples.png",
        "inpainting.png"};

    @Test
    void rendersEveryFigureTheSameWayTwice(@TempDir Path dir) throws IOException {
        CliRun first = CliRun.of("tour", "--out", dir.resolve("a").toString());
        CliRun second = CliRun.of("tour", "--out", dir.resolve("b").toString());
        assertEquals(0, first.status(), first.err());
        assertEquals(0, second.status(), second.err());
        for (String name : FIGURES) {
            Path a = dir.resolve("a").resolve(name);
            assertTrue(first.out().contains(a.toString()), first.out());
            assertTrue(distinctColours(ImageIO.read(a.toFile())) > 20, name + " looks blank");
            assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(dir.resolve("b").resolve(name)), name);
        }
    }

    @Test
    void unwritableOutputIsAClearError(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        CliRun run = CliRun.of("tour", "--out", file.resolve("figs").toString());
        assertEquals(2, run.status());
        assertTrue(run.err().contains("cannot write"), run.err());
    }

    @Test
    void aModelThatSamplesNaNReplacesNoFigure(@TempDir Path dir) throws IOException {
        // finite weights whose samples overflow load fine; the tour wrote three figures before its samples failed
        Checkpoint shipped = Checkpoint.load(Models.shipped(Models.LDM), Models.LDM);
        CheckpointBuilder huge = Checkpoint.builder(shipped.kind()).seed(shipped.seed()).step(shipped.step()).config(shipped.config());
        shipped.extras().forEach(huge::extra);
        for (String name : shipped.tensorNames()) {
            huge.tensor(name, name.equals("ema/unet.conv_out.bias") ? shipped.tensor(name).add(1e38) : shipped.tensor(name));
        }
        Path model = dir.resolve("huge.zip");
        huge.build().save(model);
        Path out = Files.createDirectories(dir.resolve("figures"));
        Path kept = Files.writeString(out.resolve("dataset_preview.png"), "an earlier figure");
        CliRun run = CliRun.of("tour", "--out", out.toString(), "--model", model.toString());
        assertEquals(2, run.status(), run.err());
        assertTrue(run.err().contains("sampling gave NaN or infinite values"), run.err());
        assertEquals("an earlier figure", Files.readString(kept));
        assertEquals(1, Files.list(out).count(), "no figure is written");
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
