package org.ldmlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderCommandTest {
    @TempDir
    Path tmp;

    @Test
    void rendersACaptionAndItsMasksEnlarged() throws IOException {
        Path out = tmp.resolve("pair.png");
        CliRun run = CliRun.of("render", "--caption", "a small red circle above a big blue square",
                "--out", out.toString(), "--scale", "4");
        assertEquals(0, run.status(), run.err());
        assertEquals(List.of("pair.png", "pair_mask_0.png", "pair_mask_1.png"), DatasetCommandTest.listing(tmp));
        BufferedImage image = ImageIO.read(out.toFile());
        assertEquals(128, image.getWidth());
        assertEquals(128, image.getHeight());
        // Nearest-neighbour enlargement: each 4 x 4 block is one colour.
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                assertEquals(image.getRGB(x - x % 4, y - y % 4), image.getRGB(x, y));
            }
        }
    }

    @Test
    void anUnknownWordIsNamedWithASuggestion() throws IOException {
        CliRun run = CliRun.of("render", "--caption", "a big red circel on the left", "--out", tmp.resolve("x.png").toString());
        assertEquals(2, run.status());
        assertTrue(run.err().contains("unknown word 'circel'"), run.err());
        assertTrue(run.err().contains("did you mean: circle?"), run.err());
        assertEquals(List.of(), DatasetCommandTest.listing(tmp));
    }

    @Test
    void aMalformedCaptionSaysWhatIsExpected() {
        CliRun run = CliRun.of("render", "--caption", "a big red circle", "--out", tmp.resolve("x.png").toString());
        assertEquals(2, run.status());
        assertTrue(run.err().contains("expected where the object is"), run.err());
    }

    @Test
    void badOutputsAndScalesAreRefused() throws IOException {
        Path file = Files.writeString(tmp.resolve("plain.txt"), "not a folder");
        String caption = "a big red circle on the left";
        assertEquals(2, CliRun.of("render", "--caption", caption, "--out", file.resolve("x.png").toString()).status());
        assertEquals(2, CliRun.of("render", "--caption", caption, "--out", tmp.resolve("x.jpg").toString()).status());
        assertEquals(2, CliRun.of("render", "--caption", caption, "--out", tmp.resolve("x.png").toString(),
                "--scale", "0").status());
        assertEquals(List.of("plain.txt"), DatasetCommandTest.listing(tmp));
    }

    @Test
    void aSecondRenderToThePathReplacesAllTheFirstsFiles() throws IOException {
        Path out = tmp.resolve("x.png");
        assertEquals(0, CliRun.of("render", "--caption", "a small red circle above a big blue square", "--out", out.toString()).status());
        CliRun run = CliRun.of("render", "--caption", "a big red circle on the left", "--out", out.toString());
        assertEquals(0, run.status(), run.err());
        assertEquals(List.of("x.png", "x_mask_0.png"), DatasetCommandTest.listing(tmp), "a stale mask of the first render stays");
    }

    @Test
    void aFolderInTheWayOfAMaskWritesNothing() throws IOException {
        Path out = tmp.resolve("x.png");
        Files.createDirectory(tmp.resolve("x_mask_1.png"));
        CliRun run = CliRun.of("render", "--caption", "a small red circle above a big blue square", "--out", out.toString());
        assertEquals(2, run.status(), run.err());
        assertTrue(run.err().contains("x_mask_1.png: it is a folder"), run.err());
        assertEquals(List.of("x_mask_1.png"), DatasetCommandTest.listing(tmp), "the image was written before the failure");
    }

    @Test
    void aVeryLongCaptionIsShortenedInTheReason() {
        String caption = "a big red circle " + "very ".repeat(2100) + "on the left";
        CliRun run = CliRun.of("render", "--caption", caption, "--out", tmp.resolve("x.png").toString());
        assertEquals(2, run.status());
        String reason = run.err().lines().findFirst().orElseThrow();
        assertTrue(reason.length() < 1000, reason.length() + " characters: " + reason);
        assertTrue(reason.contains("\"a big red circle very very") && reason.contains("... (" + caption.length() + " characters)"), reason);
    }
}
