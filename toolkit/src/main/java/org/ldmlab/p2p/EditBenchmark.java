package org.ldmlab.p2p;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.ldmlab.data.ObjectLabel;
import org.ldmlab.ldm.TextToImage;
import org.ldmlab.metrics.AttributeClassifier;
import org.ldmlab.metrics.MeanInterval;
import org.ldmlab.metrics.Proportion;
import org.ldmlab.sampling.SamplerSettings;
import org.ldmlab.sampling.StepCallback;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Edit quality against exact ground truth (DESIGN.md section 4): every {@link EditPair} is sampled with an edit, in
 * batches of {@link #BATCH} pairs ({@link PromptToPrompt#edit(List, SamplerSettings, StepCallback)}, pair i from seed
 * + i), and scored ({@link EditScore}); per edit kind, the structure kept (mean IoU), the edit success (share, Wilson
 * interval) and the rest preserved (mean PSNR). The fixed-seed baseline is the same batch with nothing injected
 * ({@link #BASELINE}), which is {@link PromptToPrompt#baseline} bit for bit: what injection buys is the difference.
 */
public final class EditBenchmark {
    /** Pairs per batch: {@link TextToImage#BATCH} prompts. */
    public static final int BATCH = TextToImage.BATCH / 2;
    /** Prompt-to-Prompt's word swap as the paper runs it: replace, cross-attention 80%, self-attention 40%. */
    public static final EditSettings P2P = EditSettings.defaults();
    /** The target from the source's seed, nothing injected. */
    public static final EditSettings BASELINE = new EditSettings(EditMode.REPLACE, InjectionSchedule.none(), Map.of(), List.of());

    /** A table's measured columns, after kind, method and n. */
    private static final List<String> VALUE_COLUMNS = List.of("iou", "iou_low", "iou_high", "success", "success_low",
            "success_high", "psnr_rest", "psnr_low", "psnr_high");

    private EditBenchmark() {}

    /** One edit kind's scores under one edit: n pairs; IoU and PSNR means with 95% intervals; success with Wilson's. */
    public record KindScores(EditKind kind, MeanInterval iou, Proportion success, MeanInterval psnr) {
        public int n() {
            return success.trials();
        }
    }

    /**
     * Samples every pair with {@code edit} and scores it.
     *
     * @param afterBatch called after each batch (a progress bar's step)
     * @return one score per pair, in order
     */
    public static List<EditScore> run(PromptToPrompt p2p, AttributeClassifier classifier, List<EditPair> pairs, EditSettings edit,
            SamplerSettings settings, long seed, Runnable afterBatch) {
        List<EditScore> scores = new ArrayList<>();
        for (int from = 0; from < pairs.size(); from += BATCH) {
            List<EditPair> batch = pairs.subList(from, Math.min(from + BATCH, pairs.size()));
            List<PromptToPrompt.Request> requests = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                requests.add(batch.get(i).request(edit, seed + from + i));
            }
            List<PromptToPrompt.Result> results = p2p.edit(requests, settings, null, StepCallback.NONE);
            INDArray edited = Nd4j.stack(0, results.stream().map(PromptToPrompt.Result::edited).toArray(INDArray[]::new)); // [k, 3, H, W]
            List<List<ObjectLabel>> readings = classifier.predict(edited);
            for (int i = 0; i < batch.size(); i++) {
                scores.add(EditScore.of(batch.get(i), results.get(i).source(), results.get(i).edited(), readings.get(i)));
            }
            afterBatch.run();
        }
        return scores;
    }

    /** Per edit kind present, in {@link EditKind} order, the summary of {@code scores} (scores.get(i) of pairs.get(i)). */
    public static List<KindScores> summary(List<EditPair> pairs, List<EditScore> scores) {
        Map<EditKind, List<EditScore>> byKind = new EnumMap<>(EditKind.class);
        for (int i = 0; i < pairs.size(); i++) {
            byKind.computeIfAbsent(pairs.get(i).kind(), k -> new ArrayList<>()).add(scores.get(i));
        }
        List<KindScores> out = new ArrayList<>();
        byKind.forEach((kind, s) -> out.add(new KindScores(kind,
                MeanInterval.of(s.stream().map(EditScore::structureIou).toList()).within(0, 1),
                new Proportion((int) s.stream().filter(EditScore::success).count(), s.size()),
                // an empty region (the other object gone from both images) has no PSNR
                MeanInterval.of(s.stream().map(EditScore::psnrRest).filter(Double::isFinite).toList()))));
        return out;
    }

    /** An empty table of kind scores, one row per (kind, method), where {@code method} names the edit of a row. */
    public static Table table(String name) {
        Table t = Table.create(name, StringColumn.create("kind"), StringColumn.create("method"), IntColumn.create("n"));
        for (String c : VALUE_COLUMNS) {
            t.addColumns(DoubleColumn.create(c));
        }
        return t;
    }

    /** Appends the row of one kind's scores under {@code method}. */
    public static void append(Table table, String method, KindScores s) {
        double[] success = s.success().interval95();
        table.stringColumn("kind").append(s.kind().word());
        table.stringColumn("method").append(method);
        table.intColumn("n").append(s.n());
        double[] values = {s.iou().mean(), s.iou().low(), s.iou().high(), s.success().value(), success[0], success[1],
            s.psnr().mean(), s.psnr().low(), s.psnr().high()};
        for (int c = 0; c < values.length; c++) {
            table.doubleColumn(VALUE_COLUMNS.get(c)).append(values[c]);
        }
    }
}
