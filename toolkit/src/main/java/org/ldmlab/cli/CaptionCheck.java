package org.ldmlab.cli;

import java.io.PrintStream;
import org.ldmlab.InvalidInputException;
import org.ldmlab.ldm.Models;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Warns (never refuses) when a real image's caption does not describe it as the attribute classifier reads it:
 * inversion under a wrong caption reconstructs worse, and an edit of a word the image does not show edits nothing.
 */
final class CaptionCheck {
    private CaptionCheck() {}

    /** image [1, 3, 32, 32]; classifierPath null: the shipped classifier. */
    static void warnIfUnlike(INDArray image, String caption, String classifierPath, PrintStream err) {
        String read = Models.loadClassifier(Models.resolve(classifierPath, Models.CLASSIFIER)).disagreement(image, caption);
        if (read != null) {
            err.println("warning: the attribute classifier reads " + read + " in the image, which \"" + InvalidInputException.shorten(caption) + "\" does not say;"
                    + " inversion and editing work best with a caption that describes the image");
        }
    }
}
