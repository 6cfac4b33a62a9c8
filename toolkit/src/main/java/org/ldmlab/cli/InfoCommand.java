package org.ldmlab.cli;

import java.io.PrintStream;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/** {@code ldmlab info}: what the toolkit runs on (ND4J backend, threads, BLAS, Java). */
final class InfoCommand implements Command {
    @Override
    public String name() {
        return "info";
    }

    @Override
    public String summary() {
        return "print the ND4J backend, threads, BLAS and Java version";
    }

    @Override
    public String usage() {
        return "ldmlab info";
    }

    @Override
    public int run(Args args, PrintStream out) {
        args.requireAllUsed();
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        out.printf("ldm-lab      %s%n", Main.version());
        out.printf("java         %s (%s)%n", System.getProperty("java.version"), System.getProperty("java.vm.name"));
        out.printf("os           %s %s%n", System.getProperty("os.name"), System.getProperty("os.arch"));
        out.printf("cores        %d%n", Runtime.getRuntime().availableProcessors());
        out.printf("max heap     %d MiB%n", Runtime.getRuntime().maxMemory() >> 20);
        out.printf("nd4j backend %s%n", Nd4j.getBackend().getClass().getSimpleName());
        out.printf("data type    %s%n", Nd4j.dataType());
        out.printf("blas         %s%n", env.getOrDefault("blas.vendor", "unknown"));
        out.printf("omp threads  %s%n", env.getOrDefault("omp.threads", "unknown"));
        out.printf("blas threads %s%n", env.getOrDefault("blas.threads", "unknown"));
        out.printf("OMP_NUM_THREADS=%s%n", System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)"));
        return 0;
    }
}
