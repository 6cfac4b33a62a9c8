package org.ldmlab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrowserCheckTest {
    @Test
    void readsTheReportTheMeasuringScriptWrites() {
        String dom = "<html><body><p>x</p><pre id=\"ldmlab-figures\">figure 1 640x360 shown 640x360 colours 2\n"
                + "figure 2 32x32 shown 0x0 colours 1\nend</pre></body></html>";
        List<BrowserCheck.Figure> figures = BrowserCheck.parse(dom, Path.of("a.html"));
        assertEquals(2, figures.size());
        assertFalse(figures.get(0).blank());
        assertTrue(figures.get(1).blank());
    }

    @Test
    void aPageWhoseScriptDidNotFinishFails() {
        assertThrows(NotebookFailure.class, () -> BrowserCheck.parse("<html><body></body></html>", Path.of("a.html")));
        assertThrows(NotebookFailure.class, () -> BrowserCheck.parse("<pre id=\"ldmlab-figures\">figure 1 1x1 shown 1x1 colours 2</pre>",
                Path.of("a.html")));
    }

    /** In a real Chromium (CI installs it): a drawn figure passes, a single-colour one and a broken one are blank. */
    @Test
    void chromiumSeesDrawnBlankAndBrokenImages(@TempDir Path dir) throws Exception {
        assumeTrue(BrowserCheck.missing() == null, "chromium is not installed");
        BufferedImage drawn = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = drawn.createGraphics();
        g.setColor(Color.RED);
        g.fillOval(5, 5, 20, 20);
        g.dispose();
        BufferedImage blank = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB); // all black
        Path page = Files.writeString(dir.resolve("page.html"), "<html><body><h1>figures</h1>" + img(drawn) + img(blank)
                + "<img src=\"data:image/png;base64,AAAA\"></body></html>");
        List<BrowserCheck.Figure> figures = BrowserCheck.figures(page);
        assertEquals(3, figures.size(), figures.toString());
        assertFalse(figures.get(0).blank(), figures.get(0).toString());
        assertEquals(40, figures.get(0).width());
        assertTrue(figures.get(1).blank(), figures.get(1).toString());
        assertTrue(figures.get(2).blank(), figures.get(2).toString());
        BufferedImage shot = BrowserCheck.screenshot(page, dir.resolve("page.png"), 400);
        assertEquals(1280, shot.getWidth());
    }

    private static String img(BufferedImage image) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return "<img src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray()) + "\">";
    }
}
