package org.ldmlab.p2p;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.ldmlab.data.ImageTensors;
import org.ldmlab.metrics.AttributeClassifier;
import org.ldmlab.sampling.SamplerSettings;
import org.ldmlab.sampling.StepCallback;
import org.ldmlab.viz.ImageGrid;
import org.ldmlab.viz.Plots;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

/**
 * For how many steps the source's cross-attention maps should be injected (Prompt-to-Prompt, Hertz et al. 2022,
 * Figure 6: injecting for more steps keeps more of the source's structure, and too many keep the edit from being
 * made). The word swap of the {@link EditBenchmark} with cross-attention injected for 0%, 20%, ..., 100% of the
 * steps; self-attention for the paper's 40% throughout, except at 0%, where nothing is injected, so that column is
 * the fixed-seed baseline.
 */
public final class InjectionSweep {
    /** The cross-attention fractions swept. */
    public static final double[] FRACTIONS = {0, 0.2, 0.4, 0.6, 0.8, 1};
    /** The self-attention fraction at every cross fraction above 0 (the paper's word swap). */
    public static final double SELF = 0.4;

    private InjectionSweep() {}

    /** The word swap injecting cross-attention for {@code cross} of the steps (self 0.4; nothing at all at 0). */
    public static EditSettings edit(double cross) {
        return new EditSettings(EditMode.REPLACE, new InjectionSchedule(cross, Map.of(), cross == 0 ? 0 : SELF), Map.of(), List.of());
    }

    /**
     * Samples and scores every pair at every fraction: one row per (fraction, kind), the columns of
     * {@link EditBenchmark#table} and {@code cross}; method "baseline" at 0, else "p2p".
     *
     * @param afterBatch called after each batch (one per {@link EditBenchmark#BATCH} pairs and fraction)
     */
    public static Table run(PromptToPrompt p2p, AttributeClassifier classifier, List<EditPair> pairs, SamplerSettings settings,
            long seed, Runnable afterBatch) {
        Table table = EditBenchmark.table("injection sweep");
        DoubleColumn cross = DoubleColumn.create("cross");
        for (double f : FRACTIONS) {
            for (EditBenchmark.KindScores s : EditBenchmark.summary(pairs,
                    EditBenchmark.run(p2p, classifier, pairs, edit(f), settings, seed, afterBatch))) {
                EditBenchmark.append(table, f == 0 ? "baseline" : "p2p", s);
                cross.append(f);
            }
        }
        return table.insertColumn(0, cross);
    }

    /**
     * Rows: the first pair of each kind (seed + row); columns: the source, then the edit at each fraction. One batch
     * per fraction.
     */
    public static BufferedImage grid(PromptToPrompt p2p, List<EditPair> examples, SamplerSettings settings, long seed) {
        List<List<BufferedImage>> columns = new ArrayList<>();
        for (double f : FRACTIONS) {
            List<PromptToPrompt.Request> requests = new ArrayList<>();
            for (int i = 0; i < examples.size(); i++) {
                requests.add(examples.get(i).request(edit(f), seed + i));
            }
            List<PromptToPrompt.Result> results = p2p.edit(requests, settings, null, StepCallback.NONE);
            if (columns.isEmpty()) {
                columns.add(results.stream().map(r -> ImageTensors.toImage(r.source())).toList());
            }
            columns.add(results.stream().map(r -> ImageTensors.toImage(r.edited())).toList());
        }
        List<BufferedImage> cells = new ArrayList<>();
        for (int row = 0; row < examples.size(); row++) {
            for (List<BufferedImage> column : columns) {
                cells.add(column.get(row));
            }
        }
        List<String> headers = new ArrayList<>(List.of("source"));
        for (double f : FRACTIONS) {
            headers.add(String.format("cross %.0f%%", 100 * f));
        }
        return new ImageGrid(cells, columns.size()).scale(3).columnHeaders(headers)
                .rowHeaders(examples.stream().map(p -> p.kind().label() + ": " + p.change()).toList())
                .title("Cross-attention injected for the first x% of " + settings.steps() + " steps (self-attention "
                        + Math.round(100 * SELF) + "%, none at 0%: the baseline)").render();
    }

    /** The first pair of each kind among {@code pairs}: the grid's rows. */
    public static List<EditPair> examples(List<EditPair> pairs) {
        List<EditPair> examples = new ArrayList<>();
        for (EditKind kind : EditKind.values()) {
            pairs.stream().filter(p -> p.kind() == kind).findFirst().ifPresent(examples::add);
        }
        return examples;
    }

    /** Structure IoU and edit success against the cross fraction, one line per kind, side by side. */
    public static BufferedImage curves(Table sweep) {
        List<BufferedImage> charts = new ArrayList<>();
        for (String[] measure : new String[][] {{"iou", "structure kept: IoU of the edited object, source vs edited"},
                {"success", "edit success: share read as the target"}}) {
            XYChart chart = Plots.lineChart(measure[1], "cross-attention injected (share of the steps)", measure[0], 560, 400);
            chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
            for (EditKind kind : EditKind.values()) {
                Table rows = sweep.where(sweep.stringColumn("kind").isEqualTo(kind.word())).sortAscendingOn("cross");
                if (rows.rowCount() > 0) {
                    Plots.line(chart, kind.label(), rows.doubleColumn("cross").asDoubleArray(), rows.doubleColumn(measure[0]).asDoubleArray());
                }
            }
            charts.add(Plots.image(chart));
        }
        return new ImageGrid(charts, charts.size()).scale(1).render();
    }

    /** How many sampling batches {@link #run} takes for {@code pairs} pairs (a progress bar's length). */
    public static long batches(int pairs) {
        return (long) FRACTIONS.length * ((pairs + EditBenchmark.BATCH - 1) / EditBenchmark.BATCH);
    }
}
