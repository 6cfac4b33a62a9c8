package org.ldmlab.p2p;

import java.awt.image.BufferedImage;
import java.util.List;
import org.ldmlab.attention.AttentionStore;
import org.ldmlab.attention.MapAggregation;
import org.ldmlab.attention.TokenMaps;
import org.ldmlab.data.ImageTensors;
import org.ldmlab.ldm.AttentionMapping;
import org.ldmlab.ldm.Inversion;
import org.ldmlab.ldm.Models;
import org.ldmlab.ldm.TextToImage;
import org.ldmlab.sampling.SamplerSettings;
import org.ldmlab.sampling.StepCallback;
import org.ldmlab.viz.HeatMaps;
import org.ldmlab.viz.ImageGrid;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An edit beside what it is compared with, and why (Prompt-to-Prompt, Hertz et al. 2022, Figures 3 and 4): the source,
 * the edited image and the baseline (the target from the same seed, unedited), and under each the changed word's
 * cross-attention map ({@link AttentionMapping#defaultsFor}): the source word over the source, the target word over the
 * edited image (the maps as the edit used them, injected ones included) and over the baseline. The changed word is
 * the first target word whose map is not the same word's ({@link WordAlignment#changedToken}); a new word (refine)
 * has no source word, and its source cell shows no heat. A real image's edit ({@link #ofImage}) shows the input, its
 * reconstruction and the edit instead.
 */
public final class EditComparison {
    private final List<String> headers;
    private final List<String> captions;
    private final BufferedImage[] images = new BufferedImage[3];
    private final INDArray[] maps = new INDArray[3];            // [S, S] each, or null: no map under that image
    private final String[] words = new String[3];
    private int editedColumn;                                  // where the edited image is: 1 (sampled) or 2 (real image)

    private EditComparison(List<String> headers, List<String> captions) {
        this.headers = headers;
        this.captions = captions;
    }

    /** Samples the edit and its baseline with their cross-attention recorded (one window per step). */
    public static EditComparison sample(Models.Pipeline pipeline, String source, String target, EditSettings edit,
            SamplerSettings settings, long seed, StepCallback cb) {
        PromptToPrompt p2p = PromptToPrompt.of(pipeline);
        List<PromptToPrompt.Request> request = List.of(new PromptToPrompt.Request(source, target, edit, seed));
        AttentionStore editStore = AttentionStore.crossAttention(settings.steps());
        PromptToPrompt.Result result = p2p.edit(request, settings, editStore, cb).get(0);
        AttentionStore baselineStore = AttentionStore.crossAttention(settings.steps());
        INDArray baseline = p2p.baseline(request, settings, baselineStore, cb).get(0);                 // [3, H, W]
        TextToImage t2i = TextToImage.of(pipeline);
        AttentionMapping.Run edited = new AttentionMapping.Run(List.of(source, target), Nd4j.stack(0, result.source(), result.edited()), editStore, t2i);
        AttentionMapping.Run plain = new AttentionMapping.Run(List.of(source, target), Nd4j.stack(0, result.source(), baseline), baselineStore, t2i);
        MapAggregation aggregation = AttentionMapping.defaultsFor(pipeline.diffusion());
        EditComparison c = new EditComparison(List.of("source", "edited", "baseline"), List.of(source, target, target + " (no edit)"));
        c.fill(pipeline, source, target, edit, new INDArray[] {result.source(), result.edited(), baseline},
                new TokenMaps[] {edited.maps(0, aggregation), edited.maps(1, aggregation), plain.maps(1, aggregation)}, false);
        return c;
    }

    /**
     * Edits a real image from its inversion (the source prompt is the inversion's caption): the input, the
     * reconstruction (the source row, which retraces the inversion) and the edited image, with the source word's map
     * over the reconstruction and the target word's over the edited image.
     *
     * @param image the input [3, H, W]
     */
    public static EditComparison ofImage(Models.Pipeline pipeline, INDArray image, Inversion inversion, String target,
            EditSettings edit, StepCallback cb) {
        String source = inversion.caption();
        SamplerSettings settings = inversion.sampler();
        AttentionStore store = AttentionStore.crossAttention(settings.steps());
        PromptToPrompt.Result result = PromptToPrompt.of(pipeline).edit(List.of(PromptToPrompt.Request.ofImage(inversion, target, edit)),
                settings, store, cb).get(0);
        AttentionMapping.Run run = new AttentionMapping.Run(List.of(source, target), Nd4j.stack(0, result.source(), result.edited()),
                store, TextToImage.of(pipeline));
        MapAggregation aggregation = AttentionMapping.defaultsFor(pipeline.diffusion());
        EditComparison c = new EditComparison(List.of("input", "reconstruction", "edited"), List.of(source, source, target));
        c.fill(pipeline, source, target, edit, new INDArray[] {image, result.source(), result.edited()},
                new TokenMaps[] {null, run.maps(0, aggregation), run.maps(1, aggregation)}, true);
        return c;
    }

    /**
     * The three images and under each its word's map: the changed word of the source over a source image, of the target
     * over a target image ({@code image}: the first column is a real image's input, which has no map).
     */
    private void fill(Models.Pipeline pipeline, String source, String target, EditSettings edit, INDArray[] pictures,
            TokenMaps[] tokenMaps, boolean image) {
        int targetToken = WordAlignment.of(edit.mode(), pipeline.diffusion().tokenizer(), source, target)
                .changedToken(pipeline.diffusion().tokenizer(), source, target);
        int sourceToken = edit.mode() == EditMode.REPLACE ? targetToken : -1; // refine: a changed word is a new word
        int[] tokens = image ? new int[] {-1, sourceToken, targetToken} : new int[] {sourceToken, targetToken, targetToken};
        editedColumn = image ? 2 : 1;
        for (int i = 0; i < 3; i++) {
            images[i] = ImageTensors.toImage(pictures[i]);
            if (tokens[i] >= 0) {
                maps[i] = tokenMaps[i].map(tokens[i]);
                words[i] = tokenMaps[i].tokens().get(tokens[i]);
            }
        }
    }

    /** Column {@code i}'s image: source, edited, baseline for a sampled edit; input, reconstruction, edited for a real image. */
    public BufferedImage image(int i) {
        return images[i];
    }

    /** The target word whose maps the second row shows, or null when the target changes no word (e.g. reweight alone). */
    public String changedWord() {
        return words[editedColumn];
    }

    /** The comparison: images, captions and headers in the first row, the changed word's maps in the second. */
    public BufferedImage render(String title) {
        String word = changedWord();
        if (word == null) {
            return new ImageGrid(List.of(images), 3).scale(8).columnHeaders(headers).captions(captions).title(title).render();
        }
        BufferedImage[] heat = new BufferedImage[3];
        String[] heatCaptions = new String[3];
        for (int i = 0; i < 3; i++) {
            heat[i] = HeatMaps.overlay(images[i], maps[i] == null ? Nd4j.zeros(images[i].getHeight(), images[i].getWidth()) : maps[i]);
            heatCaptions[i] = maps[i] != null ? "cross-attention of '" + words[i] + "'"
                    : i == 0 && editedColumn == 2 ? "the input: no maps" : "'" + word + "' is new: no source word";
        }
        List<BufferedImage> cells = List.of(images[0], images[1], images[2], heat[0], heat[1], heat[2]);
        List<String> allCaptions = List.of(captions.get(0), captions.get(1), captions.get(2), heatCaptions[0], heatCaptions[1], heatCaptions[2]);
        return new ImageGrid(cells, 3).scale(8).columnHeaders(headers).captions(allCaptions).title(title).render();
    }
}
