package org.ldmlab.viz;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.ldmlab.attention.TokenMaps;

/**
 * The pictures of per-token cross-attention: each token's map over the generated image, with the token under it
 * (Prompt-to-Prompt's Figure 4 and DAAM's figures, in kind), and tables of them across steps or layers.
 */
public final class AttentionFigures {
    private static final int SCALE = 4;

    private AttentionFigures() {}

    /** The image, then one overlay per token with the token under it, in rows of {@code columns}. */
    public static BufferedImage tokens(BufferedImage image, TokenMaps maps, String title, int columns) {
        List<BufferedImage> cells = new ArrayList<>(List.of(image));
        List<String> captions = new ArrayList<>(List.of("image"));
        for (int i = 0; i < maps.tokens().size(); i++) {
            cells.add(HeatMaps.overlay(image, maps.map(i)));
            captions.add(maps.tokens().get(i));
        }
        return new ImageGrid(cells, columns).scale(SCALE).captions(captions).title(title).render();
    }

    /**
     * One row per chosen token, one column per set of maps (e.g. early, middle and late steps, or one layer each),
     * headed by {@code headers}; the image itself in the first column.
     */
    public static BufferedImage table(BufferedImage image, List<TokenMaps> columns, List<String> headers, int[] tokens, String title) {
        List<BufferedImage> cells = new ArrayList<>();
        for (int token : tokens) {
            cells.add(image);
            for (TokenMaps maps : columns) {
                cells.add(HeatMaps.overlay(image, maps.map(token)));
            }
        }
        List<String> allHeaders = new ArrayList<>(List.of("image"));
        allHeaders.addAll(headers);
        List<String> rows = IntStream.of(tokens).mapToObj(t -> columns.get(0).tokens().get(t)).toList();
        return new ImageGrid(cells, columns.size() + 1).scale(SCALE).columnHeaders(allHeaders).rowHeaders(rows).title(title).render();
    }
}
