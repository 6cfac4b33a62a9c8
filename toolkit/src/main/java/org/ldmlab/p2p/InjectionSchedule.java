package org.ldmlab.p2p;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.ldmlab.InvalidInputException;
import org.ldmlab.sampling.SamplingStep;
import org.ldmlab.text.Tokenizer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * For how many of the sampling steps the source's attention maps are injected into the target (Prompt-to-Prompt,
 * Hertz et al. 2022, section 3.2, "Edit(M_t, M_t*, t) := M_t* if t < tau else M_t"): a fraction of the steps for
 * the cross-attention maps, globally and per target word (the reference's {@code {"default": 0.8, "circle": 0.4}}),
 * and one for the self-attention maps. The paper's word swap: cross 0.8, self 0.4.
 *
 * <p>A fraction f injects the first round(f * S) of S steps: step i is injected when i < round(f S). So 0 never
 * injects, 1 injects every step, and with S = 50 the defaults inject 40 and 20 steps.
 *
 * @param cross      the cross-attention fraction of every target token without its own
 * @param crossWords per target word, its own cross-attention fraction
 * @param self       the self-attention fraction
 */
public record InjectionSchedule(double cross, Map<String, Double> crossWords, double self) {
    public InjectionSchedule {
        check("--cross", cross);
        check("--self", self);
        crossWords.forEach((word, f) -> check("--cross-word " + word, f));
        crossWords = Map.copyOf(crossWords);
    }

    /** The paper's word swap: cross-attention for the first 80% of the steps, self-attention for the first 40%. */
    public static InjectionSchedule defaults() {
        return new InjectionSchedule(0.8, Map.of(), 0.4);
    }

    /** Nothing injected: the target is sampled on its own (beside the source). */
    public static InjectionSchedule none() {
        return new InjectionSchedule(0, Map.of(), 0);
    }

    private static void check(String name, double fraction) {
        if (!Double.isFinite(fraction) || fraction < 0 || fraction > 1) {
            throw new InvalidInputException(name + " is a fraction of the sampling steps, in [0, 1]; got " + fraction);
        }
    }

    /** How many of {@code count} steps a fraction injects: round(f * count). */
    public static int injectedSteps(double fraction, int count) {
        return (int) Math.round(fraction * count);
    }

    /** Whether the self-attention maps are injected at {@code step}. */
    public boolean injectsSelf(SamplingStep step) {
        return step.index() < injectedSteps(self, step.count());
    }

    /**
     * The number of injected steps of each of the target's L tokens, [L]: compare with a step index to get the
     * tokens whose cross-attention is injected at that step. A per-word fraction for a word the target does not
     * have is refused, with the target's words listed.
     */
    public INDArray crossStepsPerToken(Tokenizer tokenizer, String target, int count) {
        double[] fraction = new double[tokenizer.contextLength()];
        Arrays.fill(fraction, cross);
        for (Map.Entry<String, Double> e : new TreeMap<>(crossWords).entrySet()) {
            for (int position : PromptWords.positions(tokenizer, target, e.getKey(), "--cross-word")) {
                fraction[position] = e.getValue();
            }
        }
        return Nd4j.createFromArray(Arrays.stream(fraction).mapToObj(f -> (float) injectedSteps(f, count)).toArray(Float[]::new)); // [L]
    }
}
