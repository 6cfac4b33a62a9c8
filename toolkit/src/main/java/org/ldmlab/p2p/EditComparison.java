package org.ldmlab.p2p;

import java.awt.image.BufferedImage;
import java.util.List;
import org.ldmlab.attention.AttentionStore;
import org.ldmlab.attention.MapAggregation;
import org.ldmlab.attention.TokenMaps;
import org.ldmlab.data.ImageTensors;
import org.ldmlab.ldm.AttentionMapping;
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
 * has no source word, and its source cell shows no heat.
 */
public final class EditComparison {
    private final List<String> prompts;
    private final BufferedImage[] images = new BufferedImage[3]; // source, edited, baseline
    private final INDArray[] maps = new INDArray[3];            // [S, S] each
    private final String[] words = new String[3];

    private EditComparison(List<String> prompts) {
        this.prompts = prompts;
    }

    /** Samples the edit and its baseline with their cross-attention recorded (one window per step). */
    public static EditComparison sample(Models.Pipeline pipeline, String source, String target, EditSettings edit,
            SamplerSettings settings, long seed, StepCallback cb) {
        PromptToPrompt p2p = PromptToPrompt.of(pipeline);
        TextToImage t2i = TextToImage.of(pipeline);
        List<PromptToPrompt.Request> request = List.of(new PromptToPrompt.Request(source, target, edit, seed));
        AttentionStore editStore = AttentionStore.crossAttention(settings.steps());
        PromptToPrompt.Result result = p2p.edit(request, settings, editStore, cb).get(0);
        AttentionStore baselineStore = AttentionStore.crossAttention(settings.steps());
        INDArray baseline = p2p.baseline(request, settings, baselineStore, cb).get(0);                 // [3, H, W]
        int targetToken = WordAlignment.of(edit.mode(), pipeline.diffusion().tokenizer(), source, target)
                .changedToken(pipeline.diffusion().tokenizer(), source, target);
        int sourceToken = edit.mode() == EditMode.REPLACE ? targetToken : -1; // refine: a changed word is a new word

        EditComparison c = new EditComparison(List.of(source, target, target));
        INDArray[] pictures = {result.source(), result.edited(), baseline};
        AttentionMapping.Run edited = new AttentionMapping.Run(List.of(source, target), Nd4j.stack(0, result.source(), result.edited()), editStore, t2i);
        AttentionMapping.Run plain = new AttentionMapping.Run(List.of(source, target), Nd4j.stack(0, result.source(), baseline), baselineStore, t2i);
        MapAggregation aggregation = AttentionMapping.defaultsFor(pipeline.diffusion());
        TokenMaps[] tokenMaps = {edited.maps(0, aggregation), edited.maps(1, aggregation), plain.maps(1, aggregation)};
        int[] tokens = {sourceToken, targetToken, targetToken};
        for (int i = 0; i < 3; i++) {
            c.images[i] = ImageTensors.toImage(pictures[i]);
            if (tokens[i] >= 0) {
                c.maps[i] = tokenMaps[i].map(tokens[i]);
                c.words[i] = tokenMaps[i].tokens().get(tokens[i]);
            }
        }
        return c;
    }

    public BufferedImage source() {
        return images[0];
    }

    public BufferedImage edited() {
        return images[1];
    }

    public BufferedImage baseline() {
        return images[2];
    }

    /** The target word whose maps the second row shows, or null when the target changes no word (e.g. reweight alone). */
    public String changedWord() {
        return words[1];
    }

    /** The comparison: images, captions and headers in the first row, the changed word's maps in the second. */
    public BufferedImage render(String title) {
        List<String> headers = List.of("source", "edited", "baseline");
        List<String> captions = List.of(prompts.get(0), prompts.get(1), prompts.get(2) + " (no edit)");
        if (words[1] == null) {
            return new ImageGrid(List.of(images), 3).scale(8).columnHeaders(headers).captions(captions).title(title).render();
        }
        BufferedImage[] heat = new BufferedImage[3];
        String[] heatCaptions = new String[3];
        for (int i = 0; i < 3; i++) {
            heat[i] = HeatMaps.overlay(images[i], maps[i] == null ? Nd4j.zeros(images[i].getHeight(), images[i].getWidth()) : maps[i]);
            heatCaptions[i] = maps[i] == null ? "'" + words[1] + "' is new: no source word" : "cross-attention of '" + words[i] + "'";
        }
        List<BufferedImage> cells = List.of(images[0], images[1], images[2], heat[0], heat[1], heat[2]);
        List<String> allCaptions = List.of(captions.get(0), captions.get(1), captions.get(2), heatCaptions[0], heatCaptions[1], heatCaptions[2]);
        return new ImageGrid(cells, 3).scale(8).columnHeaders(headers).captions(allCaptions).title(title).render();
    }
}
