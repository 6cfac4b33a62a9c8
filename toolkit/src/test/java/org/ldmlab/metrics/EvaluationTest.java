package org.ldmlab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.ldmlab.data.HeldOut;
import org.ldmlab.data.ImageTensors;
import org.ldmlab.data.RenderedSample;
import org.ldmlab.ldm.GuidanceSweep;
import org.ldmlab.ldm.Models;
import org.ldmlab.metrics.Adherence.Measure;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The shipped classifier scores real images as a perfect generator, and sees a broken one. */
class EvaluationTest {
    private static final AttributeClassifier CLASSIFIER = Models.loadClassifier(Models.shipped(Models.CLASSIFIER));

    @Test
    void theRealImagesThemselvesScoreAsAPerfectGenerator() {
        List<RenderedSample> real = GuidanceSweep.realSet(60, 1);
        assertTrue(real.stream().noneMatch(s -> HeldOut.appearsIn(s.scene())), "the sweep's real set has no held-out pair");
        assertTrue(real.stream().anyMatch(s -> s.scene().objects().size() == 2), "and has two-object captions");
        Evaluation.Result r = new Evaluation(CLASSIFIER, real).score(ImageTensors.toTensorOf(real));
        assertEquals(0.0, r.fid(), 1e-3); // rounding in the eigen-decompositions of rank-59 covariances
        assertEquals(new PrecisionRecall(1, 1), r.precisionRecall());
        assertEquals(1.0, r.adherence(s -> true).of(Measure.ALL_RIGHT).value(), 0.02);
        assertTrue(r.inceptionScore() > 10, "60 real images spread over many labels: " + r.inceptionScore());
    }

    @Test
    void imagesOfOtherCaptionsAdhereLessAndLieFartherAway() {
        List<RenderedSample> real = GuidanceSweep.realSet(60, 1);
        List<RenderedSample> other = GuidanceSweep.realSet(120, 1).subList(60, 120); // same distribution, other captions
        Evaluation evaluation = new Evaluation(CLASSIFIER, real);
        Evaluation.Result shuffled = evaluation.score(ImageTensors.toTensorOf(other));
        assertTrue(shuffled.adherence(s -> true).of(Measure.ALL_RIGHT).value() < 0.2, "other captions' images do not adhere");
        assertTrue(shuffled.fid() > 1, "60 other images of the same distribution: not at distance 0 (FID's small-sample bias)");
        INDArray blank = ImageTensors.toTensor(IntStream.range(0, 60).mapToObj(i -> real.get(0).image()).toList());
        Evaluation.Result oneImage = evaluation.score(blank);
        assertTrue(oneImage.fid() > 3 * shuffled.fid(), "one image repeated is far from the real set: " + oneImage.fid()
                + " vs " + shuffled.fid());
        assertEquals(1.0, oneImage.inceptionScore(), 1e-6);
        assertTrue(oneImage.precisionRecall().recall() < 0.2, "one image repeated covers little of the real set");
        assertTrue(Double.isNaN(oneImage.diversity()) || oneImage.diversity() == 0, "identical images of a caption do not vary");
    }
}
