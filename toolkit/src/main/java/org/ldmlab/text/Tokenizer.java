package org.ldmlab.text;

import static org.ldmlab.InvalidInputException.shorten;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.ldmlab.InvalidInputException;
import org.ldmlab.data.CaptionGrammar;
import org.ldmlab.data.EditDistance;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns a caption into the L token ids the text encoder reads: {@code <bos> words <eos> <pad> ... <pad>}.
 * Word level (one token per word, as the shapes captions have only a few dozen words), with a fixed
 * context length L like CLIP's 77. The ids are {@code <pad>} 0, {@code <bos>} 1, {@code <eos>} 2, then the
 * words in the order given. The empty prompt "" is {@code <bos> <eos> <pad> ...}, the unconditional
 * input that classifier-free guidance trains on.
 */
public final class Tokenizer {
    public static final String PAD = "<pad>";
    public static final String BOS = "<bos>";
    public static final String EOS = "<eos>";
    public static final int PAD_ID = 0;
    public static final int BOS_ID = 1;
    public static final int EOS_ID = 2;
    /** The longest shapes caption has 12 words; with {@code <bos>} and {@code <eos>} that is 14 tokens. */
    public static final int DEFAULT_CONTEXT_LENGTH = 16;

    private static final List<String> SPECIAL_TOKENS = List.of(PAD, BOS, EOS);
    private static final int MAX_SUGGESTIONS = 3;

    private final List<String> words;
    private final List<String> tokens; // id -> token: the special tokens, then the words
    private final Map<String, Integer> wordIds = new HashMap<>();
    private final int contextLength;

    /**
     * @param words         the vocabulary without the special tokens: lower case, no spaces, no repeats;
     *                      word i gets id i + 3
     * @param contextLength L, the number of tokens every caption is padded to
     */
    public Tokenizer(List<String> words, int contextLength) {
        if (contextLength < SPECIAL_TOKENS.size()) {
            throw new InvalidInputException("the context length must leave room for " + BOS + " and " + EOS
                    + ", got " + contextLength);
        }
        this.words = List.copyOf(words);
        this.tokens = new ArrayList<>(SPECIAL_TOKENS);
        this.contextLength = contextLength;
        for (String word : this.words) {
            checkWord(word);
            wordIds.put(word, tokens.size());
            tokens.add(word);
        }
    }

    /** The tokenizer of the shapes dataset: the caption grammar's words, context length 16. */
    public static Tokenizer forShapes() {
        return new Tokenizer(List.copyOf(CaptionGrammar.vocabulary()), DEFAULT_CONTEXT_LENGTH);
    }

    /** caption -> [L] ids; case and extra whitespace are forgiven. */
    public int[] encode(String caption) {
        List<String> captionWords = split(caption);
        int maxWords = contextLength - 2; // <bos> and <eos> take two
        if (captionWords.size() > maxWords) {
            throw new InvalidInputException("\"" + shorten(caption) + "\" has " + captionWords.size() + " words, but a caption "
                    + "may have at most " + maxWords + " (the context length " + contextLength + " less "
                    + BOS + " and " + EOS + ")");
        }
        String where = "in \"" + shorten(caption) + "\"";
        int[] ids = new int[contextLength]; // zeros: PAD_ID
        ids[0] = BOS_ID;
        for (int i = 0; i < captionWords.size(); i++) {
            ids[i + 1] = idOf(captionWords.get(i), where);
        }
        ids[captionWords.size() + 1] = EOS_ID;
        return ids;
    }

    /** captions -> ids [B, L] as an INT32 array (exact integers; the text encoder one-hots them). */
    public INDArray encodeBatch(List<String> captions) {
        if (captions.isEmpty()) {
            throw new InvalidInputException("no captions to encode");
        }
        int[][] rows = captions.stream().map(this::encode).toArray(int[][]::new);
        return Nd4j.createFromArray(rows);
    }

    /** The words of {@code ids}, special tokens left out: decode(encode(c)) is c in lower case, single-spaced. */
    public String decode(int[] ids) {
        List<String> out = new ArrayList<>();
        for (int id : ids) {
            String token = token(id);
            if (!SPECIAL_TOKENS.contains(token)) {
                out.add(token);
            }
        }
        return String.join(" ", out);
    }

    /** The L token strings of a caption, special tokens included: the labels of a cross-attention map's columns. */
    public List<String> tokens(String caption) {
        return IntStream.of(encode(caption)).mapToObj(this::token).toList();
    }

    /**
     * Where a vocabulary word sits among the caption's L tokens (0 is {@code <bos>}), every occurrence: the
     * columns of its cross-attention maps (Prompt-to-Prompt); empty if the caption does not use the word.
     */
    public int[] positionsOf(String caption, String word) {
        int id = idOf(word.trim().toLowerCase(Locale.ROOT), "looked up in \"" + caption + "\"");
        int[] ids = encode(caption);
        return IntStream.range(0, contextLength).filter(i -> ids[i] == id).toArray();
    }

    public String token(int id) {
        if (id < 0 || id >= tokens.size()) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + tokens.size() + ")");
        }
        return tokens.get(id);
    }

    /** The words, without the special tokens, in id order: what a checkpoint stores to rebuild this tokenizer. */
    public List<String> vocabulary() {
        return words;
    }

    /** V: the special tokens plus the words, the number of rows of the token embedding. */
    public int vocabularySize() {
        return tokens.size();
    }

    /** L: the number of tokens of every encoded caption. */
    public int contextLength() {
        return contextLength;
    }

    /**
     * A short hash of the tokens, their order and L: a checkpoint stores it, and a model trained with
     * another vocabulary is caught on loading instead of reading the wrong embedding rows.
     */
    public String fingerprint() {
        String spec = contextLength + "\n" + String.join("\n", tokens);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(spec.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tokenizer t && t.contextLength == contextLength && t.words.equals(words);
    }

    @Override
    public int hashCode() {
        return 31 * words.hashCode() + contextLength;
    }

    @Override
    public String toString() {
        return "Tokenizer(" + tokens.size() + " tokens, context length " + contextLength + ")";
    }

    private static List<String> split(String caption) {
        return caption.isBlank() ? List.of() : List.of(caption.trim().toLowerCase(Locale.ROOT).split("\\s+"));
    }

    /** @param where where the word came from, for the error message */
    private int idOf(String word, String where) {
        Integer id = wordIds.get(word);
        if (id == null) {
            String suggestions = String.join(", ", EditDistance.nearest(word, words, MAX_SUGGESTIONS));
            throw new InvalidInputException("unknown word '" + shorten(word) + "' " + where + "; did you mean: "
                    + suggestions + "? Known words: " + String.join(", ", words));
        }
        return id;
    }

    private void checkWord(String word) {
        if (word.isEmpty() || !word.equals(word.toLowerCase(Locale.ROOT)) || word.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidInputException("a vocabulary word must be one lower-case word, got '" + word + "'");
        }
        if (tokens.contains(word)) {
            throw new InvalidInputException("'" + word + "' is in the vocabulary twice or is a special token ("
                    + String.join(", ", SPECIAL_TOKENS) + ")");
        }
    }
}
