package org.ldmlab.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A grid of small images, upscaled without smoothing so single pixels stay visible, with optional
 * captions under each cell and headers over columns and beside rows.
 *
 * <pre>
 *   new ImageGrid(images, 4).scale(4).captions(texts).render()
 * </pre>
 */
public final class ImageGrid {
    private static final Color BACKGROUND = Color.WHITE;
    private static final Color TEXT = new Color(30, 30, 30);
    private static final int GAP = 4;

    private final List<BufferedImage> images;
    private final int columns;
    private int scale = 4;
    private List<String> captions = List.of();
    private List<String> columnHeaders = List.of();
    private List<String> rowHeaders = List.of();
    private String title;
    private final Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    public ImageGrid(List<BufferedImage> images, int columns) {
        if (images.isEmpty() || columns < 1) {
            throw new IllegalArgumentException("an image grid needs at least one image and one column");
        }
        this.images = images;
        this.columns = columns;
    }

    /** Each source pixel becomes a scale x scale block. */
    public ImageGrid scale(int scale) {
        this.scale = scale;
        return this;
    }

    /** Text under each cell, wrapped to the cell width. */
    public ImageGrid captions(List<String> captions) {
        this.captions = captions;
        return this;
    }

    public ImageGrid columnHeaders(List<String> headers) {
        this.columnHeaders = headers;
        return this;
    }

    public ImageGrid rowHeaders(List<String> headers) {
        this.rowHeaders = headers;
        return this;
    }

    public ImageGrid title(String title) {
        this.title = title;
        return this;
    }

    public BufferedImage render() {
        int rows = (images.size() + columns - 1) / columns;
        int cellW = images.get(0).getWidth() * scale;
        int cellH = images.get(0).getHeight() * scale;
        FontMetrics fm = metrics();
        int line = fm.getHeight();
        int captionH = captions.isEmpty() ? 0 : line * maxLines(fm, cellW) + 2;
        int headerH = columnHeaders.isEmpty() ? 0 : line + 2;
        int titleH = title == null ? 0 : line + 6;
        int rowHeaderW = rowHeaders.stream().mapToInt(fm::stringWidth).max().orElse(-GAP) + GAP;

        int width = rowHeaderW + columns * (cellW + GAP) + GAP;
        int height = titleH + headerH + rows * (cellH + captionH + GAP) + GAP;
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, width, height);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(font);
        g.setColor(TEXT);
        if (title != null) {
            g.drawString(title, GAP, fm.getAscent() + 3);
        }
        for (int c = 0; c < Math.min(columns, columnHeaders.size()); c++) {
            int x = rowHeaderW + GAP + c * (cellW + GAP);
            drawCentred(g, fm, columnHeaders.get(c), x, cellW, titleH + fm.getAscent());
        }
        for (int i = 0; i < images.size(); i++) {
            int r = i / columns;
            int c = i % columns;
            int x = rowHeaderW + GAP + c * (cellW + GAP);
            int y = titleH + headerH + GAP + r * (cellH + captionH + GAP);
            g.drawImage(images.get(i), x, y, cellW, cellH, null);
            if (c == 0 && r < rowHeaders.size()) {
                g.drawString(rowHeaders.get(r), GAP, y + cellH / 2 + fm.getAscent() / 2);
            }
            if (i < captions.size()) {
                List<String> lines = wrap(fm, captions.get(i), cellW);
                for (int k = 0; k < lines.size(); k++) {
                    drawCentred(g, fm, lines.get(k), x, cellW, y + cellH + fm.getAscent() + k * line);
                }
            }
        }
        g.dispose();
        return canvas;
    }

    private FontMetrics metrics() {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        FontMetrics fm = g.getFontMetrics(font);
        g.dispose();
        return fm;
    }

    private int maxLines(FontMetrics fm, int width) {
        return captions.stream().mapToInt(c -> wrap(fm, c, width).size()).max().orElse(0);
    }

    private static void drawCentred(Graphics2D g, FontMetrics fm, String text, int x, int width, int baseline) {
        g.drawString(text, x + Math.max(0, (width - fm.stringWidth(text)) / 2), baseline);
    }

    /** Greedy word wrap: as many words per line as fit in {@code width} pixels. */
    static List<String> wrap(FontMetrics fm, String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String word : text.split("\\s+")) {
            String candidate = current.length() == 0 ? word : current + " " + word;
            if (fm.stringWidth(candidate) <= width || current.length() == 0) {
                current = new StringBuilder(candidate);
            } else {
                lines.add(current.toString());
                current = new StringBuilder(word);
            }
        }
        if (current.length() > 0) {
            lines.add(current.toString());
        }
        return lines;
    }
}
