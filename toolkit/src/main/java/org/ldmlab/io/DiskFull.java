package org.ldmlab.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.ldmlab.InvalidInputException;

/**
 * A full disk, told apart from other write failures: it is the machine's state, not a bug, so a command says so in
 * one line (exit status 2) instead of an internal error. Java reports it as an IOException with the system's message
 * for ENOSPC, often wrapped (ImageIO's "I/O error writing PNG file!") or behind another exception.
 */
public final class DiskFull {
    /** strerror(ENOSPC), as the JDK puts it in its IOExceptions. */
    private static final String ENOSPC = "No space left on device";

    private DiskFull() {}

    /** Whether {@code failure}, its causes or the exceptions suppressed in it include a full disk. */
    public static boolean in(Throwable failure) {
        return in(failure, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static boolean in(Throwable t, Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return false;
        }
        if (t instanceof IOException && t.getMessage() != null && t.getMessage().contains(ENOSPC)) {
            return true;
        }
        for (Throwable s : t.getSuppressed()) {
            if (in(s, seen)) {
                return true;
            }
        }
        return in(t.getCause(), seen);
    }

    /** The one-line reason for a write of {@code target} that failed because the disk is full. */
    public static InvalidInputException writing(Path target, Throwable failure) {
        return new InvalidInputException("cannot write " + target + ": no space left on device", failure);
    }
}
