package org.ldmlab.ldm;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.ldmlab.attention.AttentionSite.Place;
import java.util.Set;
import org.ldmlab.InvalidInputException;
import org.ldmlab.attention.AttentionStore;
import org.ldmlab.attention.MapAggregation;
import org.ldmlab.attention.TokenMaps;
import org.ldmlab.data.Renderer;
import org.ldmlab.sampling.SamplerSettings;
import org.ldmlab.sampling.StepCallback;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Text to image that also records where each word of the prompt was looked at: the prompts are sampled exactly as
 * {@link TextToImage#sample} samples them (same images, bit for bit: the store only reads), with an
 * {@link AttentionStore} attached for the run.
 *
 * <pre>{@code
 * AttentionMapping.Run run = AttentionMapping.sample(t2i, List.of("a big red circle on the left"), settings, 3);
 * TokenMaps maps = run.maps(0, MapAggregation.defaults());
 * }</pre>
 */
public final class AttentionMapping {
    private AttentionMapping() {}

    /**
     * {@link MapAggregation#defaults()} for this model's layers: the up path and every level where the model has them
     * (the UNet), else every place and level it has (a DiT's blocks, all one level, count as mid).
     */
    public static MapAggregation defaultsFor(LatentDiffusion model) {
        Set<Place> places = model.attentionSites().places();
        return MapAggregation.defaults().withPlaces(places.contains(Place.UP) ? EnumSet.of(Place.UP) : places)
                .withLevels(model.denoiser().config().attentionLevels());
    }

    /** The images [B, 3, H, W] of one run, its prompts, and what the store recorded. */
    public record Run(List<String> prompts, INDArray images, AttentionStore store, TextToImage t2i) {
        /** Prompt p's token maps at image resolution under {@code aggregation}. */
        public TokenMaps maps(int prompt, MapAggregation aggregation) {
            return maps(prompt, aggregation, store.layers());
        }

        /** Prompt p's token maps from one recorded layer (by its module path) alone, whatever places and levels {@code aggregation} names. */
        public TokenMaps layerMaps(int prompt, MapAggregation aggregation, String layer) {
            List<AttentionStore.LayerRecord> one = store.layers().stream().filter(l -> l.layer().equals(layer)).toList();
            if (one.isEmpty()) {
                throw new InvalidInputException("no recorded layer '" + layer + "'; recorded: "
                        + store.layers().stream().map(AttentionStore.LayerRecord::layer).toList());
            }
            MapAggregation forLayer = aggregation.withPlaces(Set.of(one.get(0).place())).withLevels(Set.of(one.get(0).height()));
            return maps(prompt, forLayer, one);
        }

        private TokenMaps maps(int prompt, MapAggregation aggregation, List<AttentionStore.LayerRecord> layers) {
            List<String> tokens = t2i.diffusion().tokenizer().tokens(prompts.get(prompt));
            int words = (int) tokens.stream().filter(t -> !t.startsWith("<")).count(); // <bos>, <eos>, <pad> are not words
            return new TokenMaps(tokens, aggregation.maps(store, layers, prompt, words, Renderer.SIZE));
        }
    }

    /** Samples one image per prompt with cross-attention recorded in one window per step. */
    public static Run sample(TextToImage t2i, List<String> prompts, SamplerSettings settings, long seed) {
        return sample(t2i, prompts, settings, seed, AttentionStore.crossAttention(settings.steps()), StepCallback.NONE);
    }

    /** As above, into {@code store}. */
    public static Run sample(TextToImage t2i, List<String> prompts, SamplerSettings settings, long seed, AttentionStore store,
            StepCallback callback) {
        try (var attached = t2i.diffusion().attach(store)) {
            return new Run(List.copyOf(prompts), t2i.sample(prompts, settings, seed, callback), store, t2i);
        }
    }
}
