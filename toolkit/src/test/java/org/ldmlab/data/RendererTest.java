package org.ldmlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ldmlab.data.Attributes.Colour;
import org.ldmlab.data.Attributes.Position;
import org.ldmlab.data.Attributes.Shape;
import org.ldmlab.data.Attributes.Size;

class RendererTest {
    private static final int N = 2000;
    private static final double CENTRE = Renderer.SIZE / 2.0;
    private static List<RenderedSample> samples;

    @BeforeAll
    static void renderMany() {
        // The test split shows every combination, held-out ones included.
        ShapesDataset dataset = new ShapesDataset(7, Split.TEST);
        samples = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            samples.add(dataset.sample(i));
        }
    }

    @Test
    void aPixelHasAnObjectsColourExactlyWhereItsMaskIsSet() {
        for (RenderedSample sample : samples) {
            BufferedImage image = sample.image();
            assertEquals(Renderer.SIZE, image.getWidth());
            assertEquals(Renderer.SIZE, image.getHeight());
            for (int y = 0; y < Renderer.SIZE; y++) {
                for (int x = 0; x < Renderer.SIZE; x++) {
                    int expected = Renderer.BACKGROUND_RGB;
                    int masksSet = 0;
                    for (int k = 0; k < sample.masks().size(); k++) {
                        if (sample.masks().get(k).get(x, y)) {
                            expected = sample.scene().objects().get(k).colour().rgb();
                            masksSet++;
                        }
                    }
                    assertTrue(masksSet <= 1, "masks overlap at " + x + "," + y + " in " + sample.caption());
                    assertEquals(expected, image.getRGB(x, y) & 0xFFFFFF, sample.caption() + " at " + x + "," + y);
                }
            }
        }
    }

    @Test
    void everyObjectIsVisibleAndBigIsBiggerThanSmall() {
        Map<Shape, Integer> largestSmall = new EnumMap<>(Shape.class);
        Map<Shape, Integer> smallestBig = new EnumMap<>(Shape.class);
        for (RenderedSample sample : samples) {
            assertEquals(sample.scene().objects().size(), sample.masks().size());
            for (int k = 0; k < sample.masks().size(); k++) {
                ObjectLabel object = sample.scene().objects().get(k);
                int area = sample.masks().get(k).area();
                assertTrue(area > 0, "empty mask for object " + k + " of " + sample.caption());
                if (object.size() == Size.SMALL) {
                    largestSmall.merge(object.shape(), area, Math::max);
                } else {
                    smallestBig.merge(object.shape(), area, Math::min);
                }
            }
        }
        for (Shape shape : Shape.values()) {
            assertTrue(largestSmall.get(shape) < smallestBig.get(shape),
                    shape + ": small up to " + largestSmall.get(shape) + " px, big from " + smallestBig.get(shape) + " px");
        }
    }

    @Test
    void masksSitWhereTheirPositionLabelSays() {
        for (RenderedSample sample : samples) {
            for (int k = 0; k < sample.masks().size(); k++) {
                Mask mask = sample.masks().get(k);
                double x = mask.centroidX();
                double y = mask.centroidY();
                String where = sample.caption() + ": object " + k + " centroid " + x + "," + y;
                switch (sample.scene().objects().get(k).position()) {
                    case LEFT -> assertTrue(x < CENTRE, where);
                    case RIGHT -> assertTrue(x > CENTRE, where);
                    case TOP -> assertTrue(y < CENTRE, where);
                    case BOTTOM -> assertTrue(y > CENTRE, where);
                    // A triangle's centroid sits a sixth of its height below the middle of its box.
                    case CENTRE -> assertTrue(Math.abs(x - CENTRE) <= 3 && Math.abs(y - CENTRE) <= 5, where);
                }
            }
        }
    }

    @Test
    void relationsHoldBetweenTheTwoMasks() {
        int pairs = 0;
        for (RenderedSample sample : samples) {
            if (sample.scene().relation() == null) {
                continue;
            }
            pairs++;
            Mask first = sample.masks().get(0);
            Mask second = sample.masks().get(1);
            String what = sample.caption();
            switch (sample.scene().relation()) {
                case ABOVE -> assertTrue(first.centroidY() < second.centroidY(), what);
                case BELOW -> assertTrue(first.centroidY() > second.centroidY(), what);
                case LEFT_OF -> assertTrue(first.centroidX() < second.centroidX(), what);
                case RIGHT_OF -> assertTrue(first.centroidX() > second.centroidX(), what);
            }
        }
        assertTrue(pairs > N / 4, "only " + pairs + " two-object scenes");
    }

    @Test
    void shapesHaveTheirExpectedOutlines() {
        ObjectLabel square = new ObjectLabel(Shape.SQUARE, Colour.RED, Size.BIG, Position.CENTRE);
        ObjectLabel circle = new ObjectLabel(Shape.CIRCLE, Colour.RED, Size.BIG, Position.CENTRE);
        ObjectLabel triangle = new ObjectLabel(Shape.TRIANGLE, Colour.RED, Size.BIG, Position.CENTRE);
        for (long seed = 0; seed < 50; seed++) {
            Mask s = Renderer.render(Scene.single(square), new SplittableRandom(seed)).masks().get(0);
            Mask c = Renderer.render(Scene.single(circle), new SplittableRandom(seed)).masks().get(0);
            Mask t = Renderer.render(Scene.single(triangle), new SplittableRandom(seed)).masks().get(0);
            int span = (int) Math.round(Math.sqrt(s.area()));
            assertEquals(span * span, s.area(), "a square covers a whole square of pixels");
            assertTrue(span >= 12 && span <= 14, "big spans 12-14 px, got " + span);
            // The same random stream gives the same box, so the circle and triangle sit inside the square.
            assertTrue(covers(s, c) && covers(s, t));
            assertEquals(Math.PI / 4, c.area() / (double) s.area(), 0.06, "circle / square area");
            assertEquals(0.5, t.area() / (double) s.area(), 0.08, "triangle / square area");
            assertTrue(t.centroidY() > s.centroidY(), "an upward triangle is heavier at its base");
        }
    }

    private static boolean covers(Mask outer, Mask inner) {
        for (int y = 0; y < Renderer.SIZE; y++) {
            for (int x = 0; x < Renderer.SIZE; x++) {
                if (inner.get(x, y) && !outer.get(x, y)) {
                    return false;
                }
            }
        }
        return true;
    }
}
