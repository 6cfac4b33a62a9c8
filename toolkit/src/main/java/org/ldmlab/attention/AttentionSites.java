package org.ldmlab.attention;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.function.Supplier;
import org.ldmlab.attention.AttentionSite.Place;
import org.ldmlab.nn.Attention;
import org.ldmlab.nn.Module;
import org.ldmlab.sampling.SamplingStep;

/**
 * The attention layers of one backbone, each named by its module path, and the controller attached to them.
 * A backbone builds one of these over itself; {@link #attach} installs the controller on every layer and the
 * returned {@link Attached} removes it. The model's sampling entry point tells it the current step
 * ({@link #during}), so every {@link AttentionSite} carries it.
 */
public final class AttentionSites {
    /** A layer's fixed part of its site. */
    private record Layer(String path, Attention attention, Place place, int block) {}

    /** An attached controller; closing it detaches it (closing twice is harmless). */
    public interface Attached extends AutoCloseable {
        @Override
        void close();
    }

    private final List<Layer> layers = new ArrayList<>();
    private AttentionController controller;
    private SamplingStep step = SamplingStep.NONE;

    /**
     * The attention layers of {@code backbone}, named {@code prefix + path}. The path's first part gives the place
     * (down, mid, up; anything else counts as mid) and its second, when a number, the block.
     */
    public AttentionSites(Module backbone, String prefix) {
        for (Map.Entry<String, Module> e : backbone.namedModules().entrySet()) {
            if (e.getValue() instanceof Attention a) {
                String[] parts = e.getKey().split("\\.");
                Place place = switch (parts[0]) {
                    case "down" -> Place.DOWN;
                    case "up" -> Place.UP;
                    default -> Place.MID;
                };
                int block = parts.length > 1 && parts[1].matches("\\d+") ? Integer.parseInt(parts[1]) : 0;
                layers.add(new Layer(prefix + e.getKey(), a, place, block));
            }
        }
    }

    /** The places (down, mid, up) that have attention layers. */
    public Set<Place> places() {
        Set<Place> places = EnumSet.noneOf(Place.class);
        layers.forEach(l -> places.add(l.place()));
        return places;
    }

    /** The module paths of the attention layers, in declaration order. */
    public List<String> layerNames() {
        return layers.stream().map(Layer::path).toList();
    }

    public boolean attached() {
        return controller != null;
    }

    /** Hands every attention call's probabilities to {@code c} until the returned scope is closed. */
    public Attached attach(AttentionController c) {
        if (c == null) {
            throw new IllegalArgumentException("no controller given");
        }
        if (controller != null) {
            throw new IllegalStateException("an attention controller is already attached to this model: close it first "
                    + "(try-with-resources), or combine the two with andThen");
        }
        controller = c;
        for (Layer layer : layers) {
            layer.attention().hook((probs, height, width) -> controller.onAttention(new AttentionSite(layer.path(),
                    layer.place(), layer.block(), height, width, layer.attention().cross(), step,
                    (int) probs.size(0) / (step.guided() ? 2 : 1)), probs));
        }
        return new Attached() {
            private boolean open = true;

            @Override
            public void close() {
                if (open) {
                    open = false;
                    layers.forEach(l -> l.attention().hook(null));
                    controller = null;
                }
            }
        };
    }

    /** Runs one model call as sampling step {@code s}: the sites of its attention calls carry it. */
    public <T> T during(SamplingStep s, Supplier<T> call) {
        SamplingStep before = step;
        step = s;
        try {
            return call.get();
        } finally {
            step = before;
        }
    }
}
