package org.ldmlab.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.ldmlab.metrics.FeatureCsv;
import org.ldmlab.metrics.FrechetDistance;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code ldmlab fid --a a.csv --b b.csv}: the Frechet distance between two CSV files of feature rows, so anyone
 * can check the formula against their own tools (e.g. features saved with numpy.savetxt(..., delimiter=",")).
 */
final class FidCommand implements Command {
    @Override
    public String name() {
        return "fid";
    }

    @Override
    public String summary() {
        return "Frechet distance between two CSV files of feature rows";
    }

    @Override
    public String usage() {
        return """
                ldmlab fid --a A.csv --b B.csv
                  one sample per row, one feature per column, comma-separated finite numbers; a first line of column
                  names (no cell a number) is skipped, and so are blank lines; says when a set's covariance is singular""";
    }

    @Override
    public int run(Args args, PrintStream out) throws IOException {
        Path a = Path.of(args.required("a", "the first CSV file of features"));
        Path b = Path.of(args.required("b", "the second CSV file of features"));
        args.requireAllUsed();
        INDArray fa = FeatureCsv.read(a);
        INDArray fb = FeatureCsv.read(b);
        out.printf("%.6f%n", FrechetDistance.between(fa, fb));
        noteIfSingular(a, fa);
        noteIfSingular(b, fb);
        return 0;
    }

    /** A note on standard error, beside the distance on standard output (which scripts read). */
    private static void noteIfSingular(Path file, INDArray f) {
        if (FrechetDistance.singularCovariance(f)) {
            System.err.printf("note: the covariance of %s is singular (%d rows of %d features%s): the distance is defined, "
                    + "but an estimate from so few samples means little%n", file, f.rows(), f.columns(),
                    f.rows() <= f.columns() ? ": no more rows than features" : ", some constant or dependent");
        }
    }
}
