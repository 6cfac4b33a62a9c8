package org.ldmlab.data;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ldmlab.InvalidInputException;
import org.ldmlab.io.ProgressBar;
import org.ldmlab.io.AtomicFiles;
import org.ldmlab.io.Png;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvWriteOptions;

/**
 * Writes the first {@code count} samples of a dataset to a folder:
 * <pre>
 *   images/000000.png      the RGB image
 *   masks/000000_0.png     object 0's mask (grayscale, 0 or 255); 000000_1.png for a second object
 *   manifest.csv           one row per sample: files, caption, labels (see {@link Manifest})
 *   heldout.csv            the colour-shape combinations kept out of train and val
 * </pre>
 * The folder appears whole or not at all, and the same dataset always gives the same bytes.
 */
public final class DatasetWriter {
    private DatasetWriter() {}

    /** Writes the folder; {@code progress} shows a progress bar (the command line passes stderr). */
    public static void write(ShapesDataset dataset, int count, Path target, PrintStream progress) throws IOException {
        if (count < 1) {
            throw new InvalidInputException("count must be at least 1, got " + count);
        }
        AtomicFiles.writeFolder(target, folder -> fill(folder, dataset, count, progress));
    }

    private static void fill(Path folder, ShapesDataset dataset, int count, PrintStream progress) throws IOException {
        Files.createDirectories(folder.resolve("images"));
        Files.createDirectories(folder.resolve("masks"));
        Manifest manifest = new Manifest();
        try (ProgressBar bar = new ProgressBar("dataset " + dataset.split().label(), count, progress)) {
            for (int i = 0; i < count; i++) {
                if (Thread.currentThread().isInterrupted()) { // Ctrl-C: the folder's clean-up waits for this loop to stop
                    throw new InterruptedIOException("stopped after " + i + " of " + count + " samples; nothing was kept");
                }
                RenderedSample sample = dataset.sample(i);
                Png.write(sample.image(), folder.resolve(Manifest.imageFile(i)));
                List<Mask> masks = sample.masks();
                for (int k = 0; k < masks.size(); k++) {
                    Png.write(masks.get(k).toImage(), folder.resolve(Manifest.maskFile(i, k)));
                }
                manifest.add(i, dataset.split(), sample);
                bar.step();
            }
        }
        writeCsv(manifest.table(), folder.resolve("manifest.csv"));
        writeCsv(HeldOut.table(), folder.resolve("heldout.csv"));
    }

    /** Unix line ends everywhere, so a dataset's bytes do not depend on the machine that wrote it. */
    private static void writeCsv(Table table, Path file) throws IOException {
        AtomicFiles.write(file, out -> table.write().csv(CsvWriteOptions.builder(out).lineEnd("\n").build()));
    }
}
