package org.ldmlab.ldm;
import org.ldmlab.InvalidInputException;
import org.ldmlab.checkpoint.Checkpoint;
import org.ldmlab.checkpoint.CheckpointBuilder;
import org.ldmlab.train.Ema;

/**
 * A training checkpoint reduced to what inference needs: the EMA weights (and the autoencoder inside an LDM checkpoint)
 * with all its metadata; the raw weights and Adam's state are dropped, so it cannot be resumed. The result is checked
 * as the commands will use it (the model it describes loads from it, every weight finite), so a damaged training
 * checkpoint is refused here rather than shipped.
 */
public final class InferenceExport {
    private InferenceExport() {}

    public static Checkpoint of(Checkpoint training) {
        Models.check(training); // the kept groups load into the model it describes: no tensor missing or misshapen
        CheckpointBuilder slim = Checkpoint.builder(training.kind()).seed(training.seed()).step(training.step())
                .secondsTrained(training.secondsTrained()).commandLine(training.commandLine()).config(training.config());
        training.extras().forEach(slim::extra);
        for (String name : training.tensorNames()) {
            if (name.startsWith(Ema.GROUP + "/") || name.startsWith(Models.AUTOENCODER_GROUP + "/")) {
                if (!Double.isFinite(training.tensor(name).sumNumber().doubleValue())) {
                    throw new InvalidInputException(training + ": tensor " + name + " holds NaN or infinite weights; "
                            + "export an earlier checkpoint of the run");
                }
                slim.tensor(name, training.tensor(name));
            }
        }
        return slim.build();
    }
}
