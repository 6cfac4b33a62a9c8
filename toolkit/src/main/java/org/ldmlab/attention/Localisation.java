package org.ldmlab.attention;

import java.util.ArrayList;
import java.util.List;
import org.ldmlab.data.WordRole;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * How well a word's attention map points at the object the word describes, against an exact mask:
 * <ul>
 *   <li>IoU of the map thresholded at tau (map &gt; tau) with the mask: DAAM's measure (Tang et al. 2023, tau = 0.4,
 *       scored there against hand-drawn masks; here against exact ones);</li>
 *   <li>the share of the map's mass inside the mask (threshold-free).</li>
 * </ul>
 */
public final class Localisation {
    /** DAAM's threshold. */
    public static final double DAAM_TAU = 0.4;

    private Localisation() {}

    /**
     * One word's scores, and the share of the image its mask covers: what the mass share of a flat map would be
     * (the chance level to compare with).
     */
    public record WordScore(String word, WordRole.Kind kind, double iou, double massShare, double maskShare) {}

    /** IoU of {map > tau} and the mask; both [S, S], the mask 0/1. 0 when both are empty. */
    public static double iou(INDArray map, INDArray mask, double tau) {
        INDArray on = map.gt(tau).castTo(mask.dataType()); // [S, S] 0/1
        double intersection = on.mul(mask).sumNumber().doubleValue();
        double union = on.add(mask).gt(0).castTo(mask.dataType()).sumNumber().doubleValue();
        return union == 0 ? 0 : intersection / union;
    }

    /** sum(map * mask) / sum(map); 0 for an all-zero map. */
    public static double massShare(INDArray map, INDArray mask) {
        double total = map.sumNumber().doubleValue();
        return total == 0 ? 0 : map.mul(mask).sumNumber().doubleValue() / total;
    }

    /**
     * Scores every content word of a caption (size, colour, shape, position, relation) against the mask of the
     * object it describes; a relation word against both objects' masks together.
     *
     * @param maps  the caption's token maps: token i + 1 is word i (token 0 is {@code <bos>})
     * @param roles the caption's words in order ({@link WordRole#of})
     * @param masks each object's mask [S, S] (0/1), in caption order
     */
    public static List<WordScore> score(TokenMaps maps, List<WordRole> roles, List<INDArray> masks, double tau) {
        List<WordScore> scores = new ArrayList<>();
        for (int w = 0; w < roles.size(); w++) {
            WordRole role = roles.get(w);
            if (role.kind() == WordRole.Kind.FUNCTION) {
                continue;
            }
            if (!maps.tokens().get(w + 1).equals(role.word())) {
                throw new IllegalArgumentException("token " + (w + 1) + " is '" + maps.tokens().get(w + 1) + "', the caption's word "
                        + w + " is '" + role.word() + "'");
            }
            INDArray mask = role.object() >= 0 ? masks.get(role.object())
                    : masks.stream().reduce((a, b) -> Transforms.max(a, b)).orElseThrow();
            INDArray map = maps.map(w + 1);
            scores.add(new WordScore(role.word(), role.kind(), iou(map, mask, tau), massShare(map, mask),
                    mask.meanNumber().doubleValue()));
        }
        return scores;
    }
}
