package org.ldmlab.p2p;

import java.util.Arrays;
import java.util.List;
import org.ldmlab.InvalidInputException;
import org.ldmlab.text.Tokenizer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which source token each target token takes its cross-attention map from (Prompt-to-Prompt, Hertz et al. 2022,
 * section 3.2): the function a(j) of the refinement edit, M_t*[:, j] = M_s[:, a(j)], or none for a new word.
 * Tokens are the tokenizer's L positions, {@code <bos> words <eos> <pad>...}, one token per word.
 *
 * <p>Special tokens, as the reference implementation's {@code get_mapper} treats them: {@code <bos>} maps to
 * {@code <bos>} and {@code <eos>} to {@code <eos>} (in the reference they are aligned with the words and always
 * match each other), and each pad maps to the source token at its own position (a pad, or the source's
 * {@code <eos>} or a last word when the source is longer), with weight 1.
 */
public final class WordAlignment {
    private static final int MATCH = 1;
    private static final int MISMATCH = -1;
    private static final int GAP = 0;

    private final int[] sourceOf; // [L]: the source position of target token j, or -1 when it has none

    private WordAlignment(int[] sourceOf) {
        this.sourceOf = sourceOf;
    }

    /**
     * Word swap: target token j takes source token j's map. The prompts must have as many words (one token each);
     * otherwise the edit is an insertion or a deletion, which refinement handles.
     */
    public static WordAlignment replace(Tokenizer tokenizer, String source, String target) {
        int sourceWords = words(tokenizer, source).size();
        int targetWords = words(tokenizer, target).size();
        if (sourceWords != targetWords) {
            throw new InvalidInputException("replace swaps words one for one, but the source has " + sourceWords
                    + " words and the target " + targetWords + "; use --mode refine to add or remove words");
        }
        int[] identity = new int[tokenizer.contextLength()];
        Arrays.setAll(identity, j -> j);
        return new WordAlignment(identity);
    }

    /**
     * Refinement: a global alignment (Needleman-Wunsch; match 1, mismatch -1, gap 0) of the two word sequences;
     * target words matched to an equal source word take its map, the others (new words) keep their own.
     */
    public static WordAlignment refine(Tokenizer tokenizer, String source, String target) {
        List<String> s = words(tokenizer, source);
        List<String> t = words(tokenizer, target);
        int[][] score = new int[s.size() + 1][t.size() + 1]; // score[i][j]: best alignment of s[:i] and t[:j]
        for (int i = 0; i <= s.size(); i++) {
            for (int j = 0; j <= t.size(); j++) {
                score[i][j] = i == 0 || j == 0 ? GAP * (i + j) : Math.max(score[i - 1][j - 1] + pair(s, t, i, j),
                        Math.max(score[i - 1][j], score[i][j - 1]) + GAP);
            }
        }
        int length = tokenizer.contextLength();
        int[] sourceOf = new int[length];
        Arrays.fill(sourceOf, -1);
        sourceOf[0] = 0; // <bos>
        for (int i = s.size(), j = t.size(); i > 0 && j > 0; ) { // trace back; only matches carry a map
            if (score[i][j] == score[i - 1][j - 1] + pair(s, t, i, j)) {
                if (s.get(i - 1).equals(t.get(j - 1))) {
                    sourceOf[j] = i; // word k sits at token k + 1 (after <bos>), so word j - 1 at token j
                }
                i--;
                j--;
            } else if (score[i][j] == score[i - 1][j] + GAP) {
                i--;
            } else {
                j--;
            }
        }
        sourceOf[t.size() + 1] = s.size() + 1; // <eos>
        for (int j = t.size() + 2; j < length; j++) {
            sourceOf[j] = j; // pads: themselves, by position
        }
        return new WordAlignment(sourceOf);
    }

    /** The alignment an edit mode uses: one for one for replace, global alignment for refine and reweight. */
    public static WordAlignment of(EditMode mode, Tokenizer tokenizer, String source, String target) {
        return mode == EditMode.REPLACE ? replace(tokenizer, source, target) : refine(tokenizer, source, target);
    }

    /**
     * The changed word: the first target word token whose source token is another word (a word swap) or that has
     * none (a new word); -1 when every target word takes the same word's map.
     */
    public int changedToken(Tokenizer tokenizer, String source, String target) {
        List<String> s = words(tokenizer, source);
        List<String> t = words(tokenizer, target);
        for (int j = 1; j <= t.size(); j++) { // word j - 1 sits at token j
            if (sourceOf[j] < 1 || sourceOf[j] > s.size() || !s.get(sourceOf[j] - 1).equals(t.get(j - 1))) {
                return j;
            }
        }
        return -1;
    }

    private static int pair(List<String> s, List<String> t, int i, int j) {
        return s.get(i - 1).equals(t.get(j - 1)) ? MATCH : MISMATCH;
    }

    private static List<String> words(Tokenizer tokenizer, String prompt) {
        int[] ids = tokenizer.encode(prompt); // unknown words fail here, with suggestions
        int eos = Arrays.stream(ids).boxed().toList().indexOf(Tokenizer.EOS_ID);
        return Arrays.stream(ids, 1, eos).mapToObj(tokenizer::token).toList();
    }

    /** a(j) for every target token j, -1 where the target token has no source token. */
    public int[] sourceOf() {
        return sourceOf.clone();
    }

    /** P [L, L] with P[a(j), j] = 1: M_s [.., L] x P puts source column a(j) in target column j (0 where unaligned). */
    public INDArray mapper() {
        INDArray p = Nd4j.zeros(DataType.FLOAT, sourceOf.length, sourceOf.length);
        for (int j = 0; j < sourceOf.length; j++) {
            if (sourceOf[j] >= 0) {
                p.putScalar(sourceOf[j], j, 1);
            }
        }
        return p;
    }

    /** alpha [L]: 1 for a target token with a source token, 0 for a new word. */
    public INDArray aligned() {
        return Nd4j.createFromArray(Arrays.stream(sourceOf).mapToObj(a -> a >= 0 ? 1f : 0f).toArray(Float[]::new));
    }
}
