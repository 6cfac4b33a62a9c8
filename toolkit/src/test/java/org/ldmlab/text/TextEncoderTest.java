package org.ldmlab.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ldmlab.nn.GradCheck.check;
import static org.ldmlab.nn.GradCheck.randn;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ldmlab.InvalidInputException;
import org.ldmlab.nn.Init;
import org.ldmlab.nn.Linear;
import org.ldmlab.nn.Ops;
import org.ldmlab.nn.Var;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** tau_theta: shapes, determinism, what the context depends on, gradients, and that it can learn. */
class TextEncoderTest {
    private static final Tokenizer TOKENIZER = Tokenizer.forShapes();
    private static final TextEncoderConfig DEFAULT = TextEncoderConfig.forTokenizer(TOKENIZER, TokenMixing.FULL);
    private static final String PAIR = "a small red circle above a big blue square";

    @Test
    void contextIsBatchByTokensByWidth() {
        TextEncoder encoder = new TextEncoder(DEFAULT, 1);
        Var context = encoder.forward(TOKENIZER.encodeBatch(List.of(PAIR, "", "a big red circle on the left")));
        assertArrayEquals(new long[] {3, 16, 64}, context.shape());
        assertEquals(DataType.FLOAT, context.value().dataType());
        assertTrue(encoder.parameters().keySet().containsAll(List.of("token_embedding", "position_embedding",
                "layers.0.norm1.weight", "layers.0.attn.to_q.weight", "layers.0.fc1.weight", "layers.0.fc2.bias",
                "final_norm.bias")), encoder.parameters().keySet().toString());
    }

    @Test
    void theSameSeedGivesTheSameEncoder() {
        INDArray ids = TOKENIZER.encodeBatch(List.of(PAIR));
        INDArray first = new TextEncoder(DEFAULT, 7).forward(ids).value();
        assertEquals(first, new TextEncoder(DEFAULT, 7).forward(ids).value());
        assertNotEquals(first, new TextEncoder(DEFAULT, 8).forward(ids).value());
    }

    @Test
    void differentCaptionsGiveDifferentContextsEvenAtThePadding() {
        TextEncoder encoder = new TextEncoder(DEFAULT, 1);
        INDArray context = encoder.forward(TOKENIZER.encodeBatch(List.of(
                "a big red circle on the left", "a big blue circle on the left"))).value(); // [2, L, D]
        for (int position : new int[] {3, 0, 15}) { // the colour, <bos>, the last <pad>
            double gap = token(context, 0, position).distance2(token(context, 1, position));
            // unmasked attention: every token, padding included, sees the word that changed
            assertTrue(gap > 1e-3, "position " + position + " differs by only " + gap);
        }
    }

    @Test
    void thePositionEmbeddingTellsTheSameWordApart() {
        TextEncoder encoder = new TextEncoder(DEFAULT, 1);
        INDArray ids = TOKENIZER.encodeBatch(List.of(PAIR)); // "a" at positions 1 and 6
        INDArray context = encoder.forward(ids).value();
        assertTrue(token(context, 0, 1).distance2(token(context, 0, 6)) > 1e-2);
        assertTrue(token(context, 0, 14).distance2(token(context, 0, 15)) > 1e-2); // two <pad>s
        // Control: without positions an unmasked transformer treats equal tokens alike, whatever their place.
        encoder.parameters().get("position_embedding").value().assign(0);
        INDArray unplaced = encoder.forward(ids).value();
        assertEquals(0, token(unplaced, 0, 1).distance2(token(unplaced, 0, 6)), 1e-5);
    }

    @Test
    void idsOfTheWrongShapeTypeOrRangeAreRejected() {
        TextEncoder encoder = new TextEncoder(DEFAULT, 1);
        assertThrows(InvalidInputException.class, () -> encoder.forward(Nd4j.zeros(DataType.INT32, 2, 8)));
        assertThrows(InvalidInputException.class, () -> encoder.forward(Nd4j.zeros(DataType.FLOAT, 2, 16)));
        INDArray tooBig = TOKENIZER.encodeBatch(List.of(PAIR));
        tooBig.putScalar(0, 5, 26);
        String message = assertThrows(InvalidInputException.class, () -> encoder.forward(tooBig)).getMessage();
        assertTrue(message.contains("[0, 26)") && message.contains("to 26"), message);
    }

    @Test
    void aWidthThatDoesNotSplitIntoHeadsIsRejected() {
        String message = assertThrows(InvalidInputException.class, () -> new TextEncoderConfig(26, 16, 64, 1, 5, TokenMixing.FULL))
                .getMessage();
        assertEquals("the width 64 does not split into 5 heads", message);
    }

    @Test
    void theEmbeddingLookupHasTheGradientOfItsTables() {
        INDArray ids = Nd4j.createFromArray(new int[][] {{1, 3, 3, 0}, {1, 4, 2, 0}}); // repeats; id 5 unused
        check("one-hot embedding", v -> TextEncoder.embed(ids, v.get(0), v.get(1)), randn(1, 6, 3), randn(2, 4, 3));
    }

    @Test
    void theWholeEncoderHasTheGradientOfItsTables() {
        // Built in DOUBLE for finite differences; the encoder's own forward pass (embed, then transform) runs on
        // tables the check can perturb. The gradient reaching the tables has passed back through every layer,
        // attention and MLP, and the final LayerNorm.
        for (TokenMixing mixing : TokenMixing.values()) {
            TextEncoder encoder = new TextEncoder(new TextEncoderConfig(6, 4, 4, 1, 2, mixing), new Init(3, DataType.DOUBLE));
            INDArray ids = Nd4j.createFromArray(new int[][] {{1, 3, 2, 0}, {1, 4, 5, 2}});
            check("text encoder, " + mixing.word() + " mixing", v -> encoder.transform(TextEncoder.embed(ids, v.get(0), v.get(1))),
                    randn(4, 6, 4), randn(5, 4, 4));
        }
    }

    @Test
    void causalMixingHidesLaterWordsAndNoMixingHidesEveryOtherWord() {
        // "a big red circle on the left" vs "a big red square on the right": tokens 0-3 (<bos> a big red) agree
        int[] first = TOKENIZER.encode("a big red circle on the left");
        int[] second = TOKENIZER.encode("a big red square on the right");
        INDArray ids = Nd4j.createFromArray(new int[][] {first, second});
        for (TokenMixing mixing : TokenMixing.values()) {
            INDArray context = new TextEncoder(new TextEncoderConfig(TOKENIZER.vocabularySize(), TOKENIZER.contextLength(),
                    16, 1, 2, mixing), new Init(4)).forward(ids).value(); // [2, L, 16]
            for (int token = 0; token < TOKENIZER.contextLength(); token++) {
                boolean sameWords = first[token] == second[token];
                boolean sameBefore = sameWords && (token < 4);
                boolean expectEqual = switch (mixing) {
                    case FULL -> false;             // every token sees the words that differ
                    case CAUSAL -> sameBefore;      // tokens before the first difference see nothing of it
                    case NONE -> sameWords;         // a token is its word and position, nothing more
                };
                INDArray a = context.get(NDArrayIndex.point(0), NDArrayIndex.point(token), NDArrayIndex.all());
                INDArray b = context.get(NDArrayIndex.point(1), NDArrayIndex.point(token), NDArrayIndex.all());
                assertEquals(expectEqual, a.equalsWithEps(b, 1e-6), mixing.word() + " mixing, token " + token);
            }
        }
    }

    @Test
    void aFewSgdStepsLearnWhichColourACaptionNames() {
        List<String> captions = List.of("a big red circle on the left", "a small red square at the top",
                "a big green triangle in the centre", "a small green circle on the right",
                "a small blue square at the bottom", "a big blue triangle on the left",
                "a big yellow circle at the top", "a small yellow square in the centre");
        INDArray targets = Nd4j.zeros(DataType.FLOAT, 8, 4); // one-hot colour: red, green, blue, yellow
        for (int i = 0; i < 8; i++) {
            targets.putScalar(i, i / 2, 1.0);
        }
        INDArray ids = TOKENIZER.encodeBatch(captions);
        TextEncoder encoder = new TextEncoder(DEFAULT, 11);
        Linear head = Linear.zeroInitialised(DEFAULT.width(), 4, new Init(12)); // starts predicting 0: loss 0.25
        List<Var> parameters = new ArrayList<>(encoder.parameters().values());
        parameters.addAll(head.parameters().values());
        // the mean over the L tokens as a product: [B, 1, L] filled with 1/L times the context [B, L, D]
        Var meanOverTokens = Var.constant(Nd4j.ones(DataType.FLOAT, 8, 1, 16).divi(16));
        double first = 0;
        double last = 0;
        for (int step = 0; step < 80; step++) {
            Var pooled = Ops.reshape(Ops.matmul(meanOverTokens, encoder.forward(ids)), 8, DEFAULT.width()); // [B, D]
            Var loss = Ops.mse(head.forward(pooled), targets);
            loss.backward();
            for (Var p : parameters) {
                p.value().subi(p.grad().mul(0.25)); // plain SGD: p -= lr * dL/dp
                p.zeroGrad();
            }
            last = loss.value().getDouble(0);
            first = step == 0 ? last : first;
        }
        // Predicting the average colour (1/4 everywhere) scores 0.1875: below half of that, the colour was learnt.
        assertTrue(last < first / 3 && last < 0.1875 / 2, "loss went from " + first + " to " + last);
    }

    /** The D-vector of one token: context [B, L, D] at (b, position). */
    private static INDArray token(INDArray context, int b, int position) {
        return context.get(NDArrayIndex.point(b), NDArrayIndex.point(position), NDArrayIndex.all());
    }
}
