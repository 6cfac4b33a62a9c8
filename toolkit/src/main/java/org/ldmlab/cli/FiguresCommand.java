package org.ldmlab.cli;

import java.io.PrintStream;

/**
 * {@code ldmlab figures}: regenerates the committed figures/ folder. The tour's figures come from the tour's own code
 * (this command runs it); the guidance sweep's files come from {@code ldmlab sweep guidance}, run only on request.
 * The sweep resumes from figures/guidance_sweep.csv: with the committed CSV it redraws the plots and the grid and
 * samples only missing scales; without it, every scale (6 to 10 minutes on 2 cores: 364 s and 559 s measured on two days).
 */
final class FiguresCommand implements Command {
    @Override
    public String name() {
        return "figures";
    }

    @Override
    public String summary() {
        return "regenerate figures/: the tour's figures, and with --with-sweep the guidance sweep's";
    }

    @Override
    public String usage() {
        return """
                ldmlab figures [--out DIR] [--with-sweep]
                  --out         where the figures go (default: the repository's figures/)
                  --with-sweep  also run `ldmlab sweep guidance` with its defaults: it redraws guidance_*.png from
                                guidance_sweep.csv and samples only the scales missing there (delete the CSV to
                                sample all: 6 to 10 minutes on 2 cores); without it those files are left as they are""";
    }

    @Override
    public int run(Args args, PrintStream out) throws Exception {
        String dir = args.string("out", Repository.path("figures").toString());
        boolean withSweep = args.flag("with-sweep");
        args.requireAllUsed();
        // a sweep CSV that cannot be resumed fails now, before the tour redraws its figures
        SweepCommand.GuidancePlan sweep = withSweep ? SweepCommand.planGuidance(Args.parse("sweep guidance", new String[] {"--out", dir})) : null;
        int status = new TourCommand().run(Args.parse("tour", new String[] {"--out", dir}), out);
        if (status != 0) {
            return status;
        }
        if (sweep == null) {
            out.println("figures: guidance_*.png and guidance_sweep.csv are left as they are (`ldmlab figures --with-sweep` "
                    + "or `ldmlab sweep guidance` remakes them)");
            return 0;
        }
        return sweep.run(out);
    }
}
