package org.ldmlab.cli;

import static org.ldmlab.InvalidInputException.shorten;

import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.nio.channels.ClosedByInterruptException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ldmlab.InvalidInputException;
import org.ldmlab.io.DiskFull;

/**
 * How a command's failure is told (the README's promise): bad input and a full disk are a one-line reason with exit
 * status 2; a run stopped by Ctrl-C or SIGTERM says so; anything else is a bug, reported with its stack trace.
 */
final class ErrorReport {
    /** The shell's status for a run ended by a signal such as SIGINT (128 + 2). */
    static final int STOPPED = 130;
    /**
     * A word of a reason longer than this (a pasted path, a runaway argument) is cut as {@link InvalidInputException#shorten}
     * cuts it: a reason is one short line, and most reasons echo what the user gave.
     */
    private static final Pattern LONG_WORD = Pattern.compile("\\S{200,}");

    private ErrorReport() {}

    /** Prints the report of {@code failure} in {@code command} to {@code err}; returns the exit status. */
    static int print(Command command, Exception failure, PrintStream err) {
        String prefix = "ldmlab " + command.name() + ": ";
        if (DiskFull.in(failure)) { // not the command line's fault: no usage line
            err.println(prefix + "error: " + (failure instanceof InvalidInputException ? reason(failure) : "no space left on device"));
            return 2;
        }
        if (failure instanceof InvalidInputException) {
            err.println(prefix + "error: " + reason(failure));
            err.println("usage: " + command.usage().lines().findFirst().orElse(""));
            return 2;
        }
        if (interrupted(failure)) {
            err.println(prefix + "stopped");
            return STOPPED;
        }
        err.println(prefix + "internal error (please report): " + failure);
        failure.printStackTrace(err);
        return 1;
    }

    private static String reason(Exception failure) {
        return LONG_WORD.matcher(failure.getMessage()).replaceAll(word -> Matcher.quoteReplacement(shorten(word.group())));
    }

    /** Whether the failure is the command's work being interrupted (the clean-up of Ctrl-C does that). */
    private static boolean interrupted(Throwable t) {
        for (; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof InterruptedIOException || t instanceof ClosedByInterruptException) {
                return true;
            }
        }
        return false;
    }
}
