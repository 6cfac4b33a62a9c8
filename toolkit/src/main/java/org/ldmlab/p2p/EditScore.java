package org.ldmlab.p2p;

import java.awt.image.BufferedImage;
import java.util.List;
import org.ldmlab.attention.Localisation;
import org.ldmlab.data.ImageTensors;
import org.ldmlab.data.ObjectLabel;
import org.ldmlab.data.Scene;
import org.ldmlab.metrics.AttributeClassifier;
import org.ldmlab.metrics.ObjectMasks;
import org.ldmlab.metrics.Psnr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * How well one edit did, the three things Prompt-to-Prompt claims of a word swap (Hertz et al. 2022, section 4 and
 * Figure 4): the structure kept, the edit made, and the rest preserved.
 * <ul>
 *   <li>structure IoU: the edited object's pixels in the source image (found by its source colour, {@link ObjectMasks})
 *       against its pixels in the edited image (by its target colour);</li>
 *   <li>success: the attribute classifier reads the target scene, every attribute of every object (the new one and
 *       the unchanged ones);</li>
 *   <li>PSNR of the rest, source vs edited: outside the edited object (its source and edited pixels) for one object;
 *       on the other object (its source and edited pixels) for a pair.</li>
 * </ul>
 */
public record EditScore(double structureIou, boolean success, double psnrRest) {
    /** A 0/1 mask, read as a map and thresholded between 0 and 1, is itself: the IoU of two masks. */
    private static final double MASK_THRESHOLD = 0.5;

    /**
     * @param source  the source image [3, H, W] in [-1, 1]
     * @param edited  the edited (or baseline) image [3, H, W]
     * @param reading what the classifier reads in {@code edited}, objects in slot order
     */
    public static EditScore of(EditPair pair, INDArray source, INDArray edited, List<ObjectLabel> reading) {
        List<INDArray> before = masks(ImageTensors.toImage(source), pair.source());                // [H, W] each
        List<INDArray> after = masks(ImageTensors.toImage(edited), pair.target());
        int o = pair.object();
        double iou = Localisation.iou(before.get(o), after.get(o), MASK_THRESHOLD);
        boolean success = reading.equals(AttributeClassifier.canonicalSlots(pair.target()));
        INDArray rest = pair.source().objects().size() == 1
                ? Transforms.max(before.get(o), after.get(o)).rsub(1)                               // outside the object
                : Transforms.max(before.get(1 - o), after.get(1 - o));                              // on the other object
        return new EditScore(iou, success, Psnr.within(source, edited, rest));
    }

    private static List<INDArray> masks(BufferedImage image, Scene scene) {
        return ObjectMasks.fromColours(image, scene.objects().stream().map(ObjectLabel::colour).toList());
    }
}
