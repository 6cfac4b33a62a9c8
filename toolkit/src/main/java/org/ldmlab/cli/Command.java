package org.ldmlab.cli;

import java.io.PrintStream;

/** One {@code ldmlab} subcommand. */
public interface Command {
    String name();

    /** One line for {@code ldmlab help}. */
    String summary();

    /** Usage text with every option. */
    String usage();

    /** Runs the command; returns the process exit status. Bad input is thrown as InvalidInputException. */
    int run(Args args, PrintStream out) throws Exception;
}
