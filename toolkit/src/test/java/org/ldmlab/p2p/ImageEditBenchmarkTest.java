package org.ldmlab.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ldmlab.metrics.AttributeClassifier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The real-image edit benchmark's cases are exact edits, and its scores read them as such. */
class ImageEditBenchmarkTest {
    @Test
    void eachIdealEditDiffersFromItsSourceOnlyInsideTheEditedObjectsRegion() {
        List<ImageEditBenchmark.Case> cases = ImageEditBenchmark.cases(12, 0);
        for (int i = 0; i < cases.size(); i++) {
            ImageEditBenchmark.Case c = cases.get(i);
            assertEquals(ImageEditBenchmark.KINDS.get(i % 4), c.pair().kind(), "kinds in turn");
            INDArray changed = Transforms.abs(c.ideal().sub(c.source())).sum(0).gt(0).castTo(c.region().dataType()); // [H, W]
            assertTrue(changed.sumNumber().doubleValue() > 0, "case " + i + " changes something");
            assertEquals(0, changed.mul(c.region().rsub(1)).sumNumber().doubleValue(), "case " + i + " changes only its region");
            assertEquals(0, c.targetMask().mul(c.region().rsub(1)).sumNumber().doubleValue(), "the target object lies in the region");
        }
    }

    @Test
    void theIdealScoresPerfectlyAndAnUneditedColourSwapFindsNoRecolouredObject() {
        ImageEditBenchmark.Case colour = ImageEditBenchmark.cases(1, 0).get(0);
        assertEquals(EditKind.COLOUR, colour.pair().kind());
        ImageEditBenchmark.Score ideal = ImageEditBenchmark.score(colour, colour.ideal(), AttributeClassifier.canonicalSlots(colour.pair().target()));
        assertEquals(Double.POSITIVE_INFINITY, ideal.psnr());
        assertEquals(1.0, ideal.ssim(), 1e-9);
        assertEquals(Double.POSITIVE_INFINITY, ideal.psnrOutside());
        assertEquals(1.0, ideal.iou(), 1e-9);
        assertTrue(ideal.success());
        ImageEditBenchmark.Score none = ImageEditBenchmark.score(colour, colour.source(), AttributeClassifier.canonicalSlots(colour.pair().source()));
        assertEquals(0.0, none.iou(), 1e-9, "the object kept its source colour: it was not recoloured");
        assertFalse(none.success());
        assertTrue(none.psnr() < 25, "the source is not the ideal: " + none.psnr());
    }
}
