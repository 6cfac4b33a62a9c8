package org.ldmlab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ldmlab.data.Attributes.Colour;
import org.ldmlab.data.Attributes.Position;
import org.ldmlab.data.Attributes.Shape;
import org.ldmlab.data.Attributes.Size;
import org.ldmlab.data.ObjectLabel;
import org.ldmlab.data.Renderer;
import org.ldmlab.data.Scene;

class PixelAttributesTest {
    @Test
    void readsEveryRenderedSingleObjectCorrectly() {
        SplittableRandom random = new SplittableRandom(3);
        for (Shape shape : Shape.values()) {
            for (Colour colour : Colour.values()) {
                for (Size size : Size.values()) {
                    for (Position position : Position.values()) {
                        ObjectLabel o = new ObjectLabel(shape, colour, size, position);
                        for (int repeat = 0; repeat < 5; repeat++) { // with the renderer's jitter
                            BufferedImage image = Renderer.render(Scene.single(o), random).image();
                            assertEquals(new PixelAttributes.Reading(colour, size, position), PixelAttributes.read(image, o), o.toString());
                        }
                    }
                }
            }
        }
    }

    @Test
    void anEmptyImageReadsAsNothing() {
        BufferedImage blank = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                blank.setRGB(x, y, Renderer.BACKGROUND_RGB);
            }
        }
        assertNull(PixelAttributes.read(blank, new ObjectLabel(Shape.CIRCLE, Colour.RED, Size.BIG, Position.LEFT)).colour());
    }
}
