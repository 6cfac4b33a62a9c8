package org.ldmlab.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;
import org.ldmlab.InvalidInputException;
import org.ldmlab.io.AtomicFiles;
import org.ldmlab.schedule.NoiseSchedule;
import org.ldmlab.schedule.Posterior;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/** {@code ldmlab schedule}: a noise schedule's per-timestep quantities as a CSV table. */
final class ScheduleCommand implements Command {
    /** DDPM uses T = 1000, improved DDPM 4000; 100,000 rows are a 20 MB table. */
    private static final int MAX_STEPS = 100_000;

    @Override
    public String name() {
        return "schedule";
    }

    @Override
    public String summary() {
        return "write a noise schedule (beta, abar, posterior, snr per timestep) as CSV";
    }

    @Override
    public String usage() {
        return """
                ldmlab schedule [--kind linear|scaled_linear|cosine] [--steps T] --out FILE.csv
                  --kind   the schedule (default linear: DDPM's, ends scaled by 1000/T)
                  --steps  the number of diffusion steps T, 2..100000 (default 1000)
                  --out    the CSV file to write, one row per timestep index t = 0..T-1""";
    }

    @Override
    public int run(Args args, PrintStream out) {
        String kind = args.string("kind", "linear");
        int steps = args.integer("steps", 1000, 2, MAX_STEPS);
        Path target = Path.of(args.required("out", "the CSV file to write"));
        args.requireAllUsed();
        NoiseSchedule schedule = NoiseSchedule.of(kind, steps);
        write(table(schedule), target);
        out.printf("schedule %s: T = %d, abar at t = %d is %.6g; wrote %s%n",
                kind, steps, steps - 1, schedule.alphaBar(steps - 1), target);
        return 0;
    }

    /** One row per timestep index t, the columns in the order the course notebooks expect. */
    private static Table table(NoiseSchedule s) {
        Posterior posterior = new Posterior(s);
        int T = s.steps();
        return Table.create("schedule",
                IntColumn.create("t", IntStream.range(0, T).toArray()),
                column("beta", T, s::beta),
                column("alpha", T, s::alpha),
                column("abar", T, s::alphaBar),
                column("sqrt_abar", T, s::sqrtAlphaBar),
                column("sqrt_one_minus_abar", T, s::sqrtOneMinusAlphaBar),
                column("posterior_variance", T, posterior::variance),
                column("posterior_log_variance_clipped", T, posterior::logVarianceClipped),
                column("posterior_mean_coef_x0", T, posterior::meanCoefX0),
                column("posterior_mean_coef_xt", T, posterior::meanCoefXt),
                column("snr", T, s::snr));
    }

    private static DoubleColumn column(String name, int T, IntToDoubleFunction value) {
        return DoubleColumn.create(name, IntStream.range(0, T).mapToDouble(value).toArray());
    }

    private static void write(Table table, Path target) {
        if (Files.isDirectory(target)) {
            throw new InvalidInputException("cannot write " + target + ": it is a folder");
        }
        try {
            AtomicFiles.write(target, stream -> table.write().csv(stream));
        } catch (IOException e) {
            throw new InvalidInputException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
