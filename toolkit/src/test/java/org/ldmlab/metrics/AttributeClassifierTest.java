package org.ldmlab.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.ldmlab.data.Attributes.Colour;
import org.ldmlab.data.Attributes.Position;
import org.ldmlab.data.Attributes.Relation;
import org.ldmlab.data.Attributes.Shape;
import org.ldmlab.data.Attributes.Size;
import org.ldmlab.data.ImageTensors;
import org.ldmlab.data.ObjectLabel;
import org.ldmlab.data.RenderedSample;
import org.ldmlab.data.Scene;
import org.ldmlab.data.ShapesDataset;
import org.ldmlab.data.Split;
import org.ldmlab.ldm.Models;
import org.ldmlab.nn.Init;
import org.ldmlab.train.Adam;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class AttributeClassifierTest {
    private static final ObjectLabel RED_CIRCLE_TOP = new ObjectLabel(Shape.CIRCLE, Colour.RED, Size.SMALL, Position.TOP);
    private static final ObjectLabel BLUE_SQUARE_BOTTOM = new ObjectLabel(Shape.SQUARE, Colour.BLUE, Size.BIG, Position.BOTTOM);
    private static final ObjectLabel GREEN_TRIANGLE_LEFT = new ObjectLabel(Shape.TRIANGLE, Colour.GREEN, Size.BIG, Position.LEFT);
    private static final ObjectLabel YELLOW_CIRCLE_RIGHT = new ObjectLabel(Shape.CIRCLE, Colour.YELLOW, Size.SMALL, Position.RIGHT);

    @Test
    void slotZeroIsTheObjectAtTheTopOrOnTheLeftWhateverTheCaptionOrder() {
        List<ObjectLabel> vertical = List.of(RED_CIRCLE_TOP, BLUE_SQUARE_BOTTOM);
        assertEquals(vertical, AttributeClassifier.canonicalSlots(Scene.pair(RED_CIRCLE_TOP, Relation.ABOVE, BLUE_SQUARE_BOTTOM)));
        assertEquals(vertical, AttributeClassifier.canonicalSlots(Scene.pair(BLUE_SQUARE_BOTTOM, Relation.BELOW, RED_CIRCLE_TOP)));
        List<ObjectLabel> horizontal = List.of(GREEN_TRIANGLE_LEFT, YELLOW_CIRCLE_RIGHT);
        assertEquals(horizontal, AttributeClassifier.canonicalSlots(Scene.pair(GREEN_TRIANGLE_LEFT, Relation.LEFT_OF, YELLOW_CIRCLE_RIGHT)));
        assertEquals(horizontal, AttributeClassifier.canonicalSlots(Scene.pair(YELLOW_CIRCLE_RIGHT, Relation.RIGHT_OF, GREEN_TRIANGLE_LEFT)));
        assertEquals(List.of(BLUE_SQUARE_BOTTOM), AttributeClassifier.canonicalSlots(Scene.single(BLUE_SQUARE_BOTTOM)));
    }

    @Test
    void predictsOneOrTwoObjectsPerImageAndFeaturesOf128() {
        AttributeClassifier classifier = new AttributeClassifier(new Init(0));
        INDArray images = images(new ShapesDataset(0, Split.TRAIN), 3); // [3, 3, 32, 32]
        List<List<ObjectLabel>> predicted = classifier.predict(images);
        assertEquals(3, predicted.size());
        predicted.forEach(objects -> assertTrue(objects.size() == 1 || objects.size() == 2, objects.toString()));
        assertArrayEquals(new long[] {3, AttributeClassifier.FEATURES}, classifier.features(images).shape());
    }

    @Test
    void thirtyStepsOnATinyBatchLowerItsLoss() {
        AttributeClassifier classifier = new AttributeClassifier(new Init(1));
        Adam adam = new Adam(classifier, 1e-3);
        List<RenderedSample> batch = new ShapesDataset(1, Split.TRAIN).batch(new SplittableRandom(1), 8);
        INDArray images = ImageTensors.toTensorOf(batch); // [8, 3, 32, 32]
        List<Scene> scenes = batch.stream().map(RenderedSample::scene).toList();
        double before = classifier.loss(images, scenes).value().getDouble(0);
        for (int step = 0; step < 30; step++) {
            adam.zeroGrad();
            classifier.loss(images, scenes).backward();
            adam.step();
        }
        double after = classifier.loss(images, scenes).value().getDouble(0);
        assertTrue(after < 0.5 * before, "loss went from " + before + " to " + after);
    }

    @Test
    void theShippedClassifierReadsTestImages() {
        assumeTrue(Models.class.getResource("/ldmlab/models/" + Models.CLASSIFIER + ".zip") != null, "no shipped classifier");
        AttributeClassifier classifier = Models.loadClassifier(Models.shipped(Models.CLASSIFIER));
        ShapesDataset test = new ShapesDataset(7, Split.TEST);
        List<RenderedSample> samples = IntStream.range(0, 200).mapToObj(test::sample).toList();
        AttributeAccuracy accuracy = AttributeAccuracy.measure(classifier, samples);
        assertTrue(accuracy.worst() >= 0.97, accuracy.summary());
    }

    @Test
    void aSetLargerThanAChunkReadsAsItsChunksDo() {
        AttributeClassifier classifier = new AttributeClassifier(new Init(2));
        int n = AttributeClassifier.CHUNK + 3;
        INDArray images = images(new ShapesDataset(2, Split.TEST), n); // [n, 3, 32, 32]
        AttributeClassifier.Reading all = classifier.read(images);
        AttributeClassifier.Reading head = classifier.read(images.get(NDArrayIndex.interval(0, AttributeClassifier.CHUNK)));
        AttributeClassifier.Reading tail = classifier.read(images.get(NDArrayIndex.interval(AttributeClassifier.CHUNK, n)));
        assertEquals(Nd4j.concat(0, head.features(), tail.features()), all.features());
        assertEquals(java.util.stream.Stream.concat(head.objects().stream(), tail.objects().stream()).toList(), all.objects());
        for (int h = 0; h < all.firstObject().size(); h++) {
            assertEquals(Nd4j.concat(0, head.firstObject().get(h), tail.firstObject().get(h)), all.firstObject().get(h));
        }
    }

    private static INDArray images(ShapesDataset data, int count) {
        return ImageTensors.toTensor(IntStream.range(0, count).mapToObj(i -> data.sample(i).image()).toList());
    }
}
