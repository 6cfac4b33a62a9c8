package org.ldmlab.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import org.ldmlab.data.DatasetWriter;
import org.ldmlab.data.ShapesDataset;
import org.ldmlab.data.Split;

/** {@code ldmlab dataset}: renders samples of the shapes dataset into a new folder. */
final class DatasetCommand implements Command {
    /** About an hour and 10 GB on disk (4 KB blocks); more is a typo, and a manifest that no longer fits in memory. */
    private static final int MAX_COUNT = 1_000_000;

    @Override
    public String name() {
        return "dataset";
    }

    @Override
    public String summary() {
        return "render the captioned shapes dataset: PNG images, masks and manifest.csv";
    }

    @Override
    public String usage() {
        return """
                ldmlab dataset --out DIR --count N [--seed S] [--split train|val|test]
                  --out DIR     the folder to create (it must not exist, or be empty)
                  --count N     how many samples to write, 1..1000000 (each is two or three small PNGs)
                  --seed S      the dataset seed (default 0); the same seed always gives the same files
                  --split NAME  train, val or test (default train); only test shows held-out combinations""";
    }

    @Override
    public int run(Args args, PrintStream out) throws Exception {
        Path target = Path.of(args.required("out", "the folder to create"));
        args.required("count", "how many samples to write");
        int count = args.integer("count", 0, 1, MAX_COUNT);
        long seed = args.longValue("seed", 0);
        Split split = Split.parse(args.string("split", Split.TRAIN.label()));
        args.requireAllUsed();
        // Commands get only stdout; the progress bar goes to stderr so stdout stays clean for scripts.
        DatasetWriter.write(new ShapesDataset(seed, split), count, target, System.err);
        out.printf("wrote %d %s samples (seed %d) to %s%n", count, split.label(), seed, target);
        return 0;
    }
}
