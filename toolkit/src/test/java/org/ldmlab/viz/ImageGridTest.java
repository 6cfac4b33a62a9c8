package org.ldmlab.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageGridTest {
    private static BufferedImage solid(int rgb) {
        BufferedImage im = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 2; x++) {
                im.setRGB(x, y, rgb);
            }
        }
        return im;
    }

    @Test
    void cellsAreUpscaledWithoutSmoothingAndPlacedRowMajor() {
        BufferedImage red = solid(0xFF0000);
        BufferedImage blue = solid(0x0000FF);
        BufferedImage grid = new ImageGrid(List.of(red, blue, blue), 2).scale(5).render();
        // three cells of 10x10 px on a 2-column grid with 4 px gaps
        assertEquals(4 + 2 * 14, grid.getWidth());
        assertEquals(4 + 2 * 14, grid.getHeight());
        assertEquals(0xFF0000, grid.getRGB(4, 4) & 0xFFFFFF);
        assertEquals(0xFF0000, grid.getRGB(13, 13) & 0xFFFFFF, "no blur at the cell edge");
        assertEquals(0x0000FF, grid.getRGB(18, 4) & 0xFFFFFF);
        assertEquals(0x0000FF, grid.getRGB(4, 18) & 0xFFFFFF);
        assertEquals(0xFFFFFF, grid.getRGB(18, 18) & 0xFFFFFF, "the missing fourth cell stays blank");
    }

    @Test
    void longCaptionsWrapIntoTheCellWidth() {
        BufferedImage grid = new ImageGrid(List.of(solid(0)), 1).scale(20)
                .captions(List.of("a small red circle above a big blue square")).render();
        assertTrue(grid.getHeight() > 40 + 2 * 12, "caption takes at least two lines: " + grid.getHeight());
    }
}
