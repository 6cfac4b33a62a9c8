package org.ldmlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ldmlab invert}, {@code edit} on a real image, and the two benchmarks, end to end on the shipped models. */
class InvertCommandTest {
    private static final String CAPTION = "a big red circle on the left";

    @TempDir
    Path dir;
    private Path image;

    @BeforeEach
    void render() {
        image = dir.resolve("scene.png");
        assertEquals(0, CliRun.of("render", "--caption", CAPTION, "--out", image.toString(), "--scale", "1").status());
    }

    @Test
    void invertWritesTheReconstructionAndTheInversionAndEditReadsItBack() throws Exception {
        Path inverted = dir.resolve("inv");
        StringBuilder printed = new StringBuilder();
        CliRun run = withStandardError(printed, "invert", "--image", image.toString(), "--caption", CAPTION, "--steps", "4", "--null-text",
                "--out", inverted.toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().matches("(?s)null-text \\(pivot at s = 1\\), 4 steps, sampled at s = 3: latent MSE \\d\\.\\d{5}, PSNR \\d+\\.\\d\\d dB.*"), run.out());
        for (String file : List.of("reconstruction.png", "image.png", "inversion.txt", "z0.npy", "zT.npy", "null_text.npy")) {
            assertTrue(Files.size(inverted.resolve(file)) > 0, file);
        }
        assertTrue(printed.toString().contains("invert [") && !printed.toString().contains("warning"), "progress, and no warning: " + printed.toString());

        Path edited = dir.resolve("edit");
        run = CliRun.of("edit", "--inverted", inverted.toString(), "--target", "a big blue circle on the left", "--out", edited.toString());
        assertEquals(0, run.status(), run.err());
        for (String file : List.of("source.png", "reconstruction.png", "edited.png", "compare.png")) {
            assertTrue(Files.size(edited.resolve(file)) > 0, file);
        }
        assertTrue(run.out().contains("compare.png shows the cross-attention of 'blue'"), run.out());
        CliRun other = CliRun.of("edit", "--inverted", inverted.toString(), "--target", "a big blue circle on the left", "--steps", "5",
                "--out", dir.resolve("never").toString());
        assertEquals(2, other.status());
        assertTrue(other.err().contains("inverted with 4 steps"), other.err());
    }

    @Test
    void editInvertsAnImageItselfAndWarnsWhenTheCaptionDoesNotDescribeIt() throws Exception {
        Path out = dir.resolve("edit");
        StringBuilder printed = new StringBuilder();
        CliRun run = withStandardError(printed, "edit", "--image", image.toString(), "--source", "a small green square at the top",
                "--target", "a small blue square at the top", "--steps", "3", "--out", out.toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(printed.toString().contains("warning: the attribute classifier reads a big red circle on the left"), printed.toString());
        BufferedImage source = ImageIO.read(out.resolve("source.png").toFile());
        BufferedImage input = ImageIO.read(image.toFile());
        assertEquals(input.getRGB(5, 16), source.getRGB(5, 16), "source.png is the input");
    }

    @Test
    void refusesBadImagesAndBadSettingsBeforeAnyWork() throws Exception {
        Path big = dir.resolve("big.png");
        ImageIO.write(new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB), "png", big.toFile());
        Path truncated = dir.resolve("truncated.png");
        byte[] png = Files.readAllBytes(image);
        Files.write(truncated, Arrays.copyOf(png, png.length / 2));
        Path never = dir.resolve("never");
        String[][] cases = {
            {"is 40x40; the models work on 32x32 RGB images", "--image", big.toString(), "--caption", CAPTION},
            {"could not be read as an image", "--image", truncated.toString(), "--caption", CAPTION},
            {"no file", "--image", dir.resolve("missing.png").toString(), "--caption", CAPTION},
            {"unknown word 'purple'", "--image", image.toString(), "--caption", "a big purple circle on the left"},
            {"guidance s = 1", "--image", image.toString(), "--caption", CAPTION, "--null-text", "--guidance", "1"},
            {"--steps must be between 1 and", "--image", image.toString(), "--caption", CAPTION, "--steps", "0"},
        };
        for (String[] c : cases) {
            String[] argv = new String[c.length + 2];
            argv[0] = "invert";
            System.arraycopy(c, 1, argv, 1, c.length - 1);
            argv[argv.length - 2] = "--out";
            argv[argv.length - 1] = never.toString();
            CliRun run = CliRun.of(argv);
            assertEquals(2, run.status(), String.join(" ", argv) + "\n" + run.err());
            assertTrue(run.err().contains(c[0]), c[0] + " not in: " + run.err());
            assertFalse(Files.exists(never));
        }
        CliRun resized = CliRun.of("invert", "--image", big.toString(), "--caption", CAPTION, "--resize", "--steps", "2", "--guidance", "1",
                "--out", dir.resolve("resized").toString());
        assertEquals(0, resized.status(), resized.err());
        CliRun both = CliRun.of("edit", "--image", image.toString(), "--inverted", dir.toString(), "--target", CAPTION, "--out", never.toString());
        assertEquals(2, both.status());
        assertTrue(both.err().contains("not both"), both.err());
        CliRun seeded = CliRun.of("edit", "--image", image.toString(), "--source", CAPTION, "--target", CAPTION, "--seed", "3", "--out", never.toString());
        assertEquals(2, seeded.status());
        assertTrue(seeded.err().contains("comes from its inversion"), seeded.err());
    }

    @Test
    void theBenchmarksWriteTheirTablesAndFigures() throws Exception {
        CliRun edits = CliRun.of("edit-bench", "--n", "2", "--steps", "2", "--csv", dir.resolve("edit.csv").toString(),
                "--figure", dir.resolve("edit.png").toString());
        assertEquals(0, edits.status(), edits.err());
        assertTrue(edits.out().contains("| null-text inversion + P2P        |    2 |"), edits.out());
        List<String> rows = Files.readAllLines(dir.resolve("edit.csv"));
        assertEquals(1 + 5 * 3, rows.size(), "per method: all, colour, shape; " + rows);
        assertTrue(Files.size(dir.resolve("edit.png")) > 0);

        CliRun trips = CliRun.of("inversion-bench", "--n", "2", "--steps", "2,3", "--scales", "1,3", "--csv", dir.resolve("inv.csv").toString(),
                "--figures", dir.toString());
        assertEquals(0, trips.status(), trips.err());
        assertEquals(1 + 2 * 4, Files.readAllLines(dir.resolve("inv.csv")).size(), "s = 1 once, s = 3 three ways, per step count");
        assertTrue(Files.size(dir.resolve("inversion_guidance.png")) > 0 && Files.size(dir.resolve("inversion_steps.png")) > 0);
        CliRun bad = CliRun.of("inversion-bench", "--scales", "1,1");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("distinct comma-separated numbers"), bad.err());
        assertEquals(2, CliRun.of("edit-bench", "--guidance", "1").status());
    }

    /** Runs a command with System.err (progress bars, warnings) captured into {@code printed}. */
    private static CliRun withStandardError(StringBuilder printed, String... argv) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            return CliRun.of(argv);
        } finally {
            System.setErr(err);
            printed.append(captured.toString(StandardCharsets.UTF_8));
        }
    }
}
