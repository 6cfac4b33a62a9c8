package org.ldmlab.data;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * One rendered example: the caption, the scene it describes, the RGB image and one mask per object, in
 * the scene's object order ({@code masks.get(k)} is where {@code scene.objects().get(k)} was painted).
 */
public record RenderedSample(String caption, Scene scene, BufferedImage image, List<Mask> masks) {
    public RenderedSample {
        masks = List.copyOf(masks);
    }
}
