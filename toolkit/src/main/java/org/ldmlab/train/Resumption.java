package org.ldmlab.train;
import java.io.PrintStream;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.ldmlab.InvalidInputException;
import org.ldmlab.checkpoint.Checkpoint;

/**
 * What a resumed run may change of the run it continues. It repeats the uninterrupted run bit for bit only with
 * the same seed and training settings ({@link TrainingLoop}):
 * <ul>
 * <li>another seed is refused: the checkpoint records one seed, and the steps after it would draw another run's data
 *     and noise;</li>
 * <li>another batch, learning rate or number of workers is allowed (going on with a lower learning rate is a
 *     common choice) but said, since the result is then no longer that of one uninterrupted run;</li>
 * <li>the run must end after the checkpoint's step, or there is nothing to train;</li>
 * <li>an exported checkpoint holds the EMA weights for inference only, without the weights and optimizer state that
 *     training goes on from.</li>
 * </ul>
 */
public final class Resumption {
    private Resumption() {}

    /**
     * Refuses a checkpoint that a run with {@code seed} to {@code totalSteps} steps cannot go on from. {@link TrainingLoop}
     * checks it; a command checks it first too when it has long work to do before training (encoding latents).
     */
    public static void requireResumable(Checkpoint saved, long seed, long totalSteps) {
        if (saved.tensorNames().stream().noneMatch(name -> name.startsWith(Checkpoint.MODEL + "/"))) {
            throw new InvalidInputException(saved + " is an exported checkpoint (inference weights only, no training state); "
                    + "exported checkpoints cannot be resumed: resume the training checkpoint it was exported from");
        }
        if (saved.seed() != seed) {
            throw new InvalidInputException(saved + " was trained with seed " + saved.seed() + ", and this run's seed is "
                    + seed + ": the steps after the checkpoint would draw another run's data; resume with seed "
                    + saved.seed() + " (--seed " + saved.seed() + ")");
        }
        if (totalSteps <= saved.step()) {
            throw new InvalidInputException(saved + " is at step " + saved.step() + " already, and the run is to end at step "
                    + totalSteps + ": nothing to train; ask for more steps than " + saved.step());
        }
    }

    /**
     * Refuses to go on from {@code saved} with a model built from another {@code config} (another backbone, text mixing
     * or size): its weights may even load, but the run would train another model than the one its steps counted. Keys
     * only one side has (a checkpoint older than an option) are not compared.
     */
    public static void requireSameModel(Checkpoint saved, Map<String, String> config) {
        SortedMap<String, String> other = new TreeMap<>();
        config.forEach((key, value) -> {
            String was = saved.config().get(key);
            if (was != null && !was.equals(value)) {
                other.put(key, was + ", not " + value);
            }
        });
        if (!other.isEmpty()) {
            throw new InvalidInputException(saved + " is another model (" + describe(other) + "): resume it with the options "
                    + "it was trained with, or train into another --out");
        }
    }

    /** Says on {@code warnings} which training settings of {@code run} differ from the checkpoint's. */
    static void warnOfChanges(Checkpoint saved, Checkpoint run, PrintStream warnings) {
        SortedMap<String, String> before = new TreeMap<>();
        SortedMap<String, String> now = new TreeMap<>();
        for (Map.Entry<String, String> setting : run.trainingSettings().entrySet()) {
            String was = saved.trainingSettings().get(setting.getKey());
            if (was != null && !was.equals(setting.getValue())) {
                before.put(setting.getKey(), was);
                now.put(setting.getKey(), setting.getValue());
            }
        }
        if (!now.isEmpty()) {
            warnings.println("warning: " + saved + " was trained with " + describe(before) + ", this run uses " + describe(now)
                    + ": the resumed run will not repeat an uninterrupted one bit for bit");
        }
    }

    private static String describe(SortedMap<String, String> settings) {
        return String.join(", ", settings.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList());
    }
}
