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
import org.ldmlab.io.Processes;

class BrowserCheckTest {
    @Test
    void readsTheReportTheMeasuringScriptWrites() {
        String dom = "<html><body><p>x</p><pre id=\"ldmlab-report\">figure 1 640x360 shown 640x360 colours 2\n"
                + "figure 2 32x32 shown 0x0 colours 1\nuntypeset $$q(x_t \\mid x_0) = \\mathcal{N}(0, I)$$\n"
                + "untypeset TeX error: \\frac{a &lt; b}{\nend</pre></body></html>";
        BrowserCheck.Page page = BrowserCheck.parse(dom, Path.of("a.html"));
        assertEquals(2, page.figures().size());
        assertFalse(page.figures().get(0).blank());
        assertTrue(page.figures().get(1).blank());
        assertEquals(List.of("$$q(x_t \\mid x_0) = \\mathcal{N}(0, I)$$", "TeX error: \\frac{a < b}{"), page.untypeset());
    }

    @Test
    void aPageWhoseScriptDidNotFinishFails() {
        assertThrows(NotebookFailure.class, () -> BrowserCheck.parse("<html><body></body></html>", Path.of("a.html")));
        assertThrows(NotebookFailure.class, () -> BrowserCheck.parse("<pre id=\"ldmlab-report\">figure 1 1x1 shown 1x1 colours 2</pre>",
                Path.of("a.html")));
    }

    /** In a real Chromium (CI installs it): a drawn figure passes, a single-colour one and a broken one are blank. */
    @Test
    void chromiumSeesDrawnBlankAndBrokenImages(@TempDir Path dir) throws Exception {
        assumeTrue(BrowserCheck.missing() == null, BrowserCheck.missing());
        BufferedImage drawn = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = drawn.createGraphics();
        g.setColor(Color.RED);
        g.fillOval(5, 5, 20, 20);
        g.dispose();
        BufferedImage blank = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB); // all black
        Path page = Files.writeString(dir.resolve("page.html"), "<html><body><h1>figures</h1>" + img(drawn) + img(blank)
                + "<img src=\"data:image/png;base64,AAAA\"></body></html>");
        List<BrowserCheck.Figure> figures = BrowserCheck.inspect(page).figures();
        assertEquals(3, figures.size(), figures.toString());
        assertFalse(figures.get(0).blank(), figures.get(0).toString());
        assertEquals(40, figures.get(0).width());
        assertTrue(figures.get(1).blank(), figures.get(1).toString());
        assertTrue(figures.get(2).blank(), figures.get(2).toString());
        BufferedImage shot = BrowserCheck.screenshot(page, dir.resolve("page.png"), 400);
        assertEquals(1280, shot.getWidth());
    }

    /**
     * A render made as the labs' are, in real nbconvert and Chromium with the network closed: with MathJax beside it
     * every equation is typeset and only a broken one is reported; without it (as before, when the render loaded
     * MathJax from a CDN) every equation is reported as LaTeX source. (nbconvert writes the markdown's \\(...\\) as $...$.)
     */
    @Test
    void theRendersEquationsAreTypesetOfflineAndWhatIsNotIsReported(@TempDir Path dir) throws Exception {
        assumeTrue(BrowserCheck.missing() == null, BrowserCheck.missing());
        assumeTrue(Processes.onPath("jupyter-nbconvert"), "jupyter-nbconvert is not installed");
        String prose = "Display $$q(x_t \\\\mid x_0) = \\\\mathcal{N}(0, I)$$ inline $x_t$, \\\\\\\\(a + b\\\\\\\\) and broken $\\\\frac{1}{$ end";
        Path notebook = Files.writeString(dir.resolve("lab.ipynb"), "{\"cells\": [{\"cell_type\": \"markdown\", \"metadata\": {}, \"source\": \""
                + prose + "\"}], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 4}");
        Path page = dir.resolve("lab.html");
        Jupyter.html(notebook, page, dir.resolve("lab.log"));
        Path offline = Files.copy(page, Files.createDirectory(dir.resolve("no-mathjax")).resolve("lab.html"));

        MathJax.linkInto(dir);
        assertEquals(List.of("TeX error: \\frac{1}{"), BrowserCheck.inspect(page).untypeset());

        List<String> untypeset = BrowserCheck.inspect(offline).untypeset();
        assertEquals(4, untypeset.size(), untypeset.toString());
        assertTrue(untypeset.get(0).startsWith("$$q(x_t \\mid x_0)"), untypeset.toString());
        assertTrue(untypeset.get(1).startsWith("$x_t$"), untypeset.toString());
        assertTrue(untypeset.get(2).startsWith("$a + b$"), untypeset.toString());
        assertTrue(untypeset.get(3).startsWith("$\\frac{1}{$"), untypeset.toString());
    }

    private static String img(BufferedImage image) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return "<img src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray()) + "\">";
    }
}
