package org.ldmlab.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hidden temporary files and folders beside an output, where content is made before it is renamed into place.
 * Each is named after the process that owns it ({@code .ldmlab-tmp-<pid>-<process start>-<random>}), so that a
 * later run can remove what a killed run (kill -9, a power cut) left behind, and only that: an entry whose process
 * is still alive is never touched. A folder is also removed when the JVM shuts down (Ctrl-C, SIGTERM): the shutdown
 * hook first interrupts the thread that fills it and waits for it to stop, since deleting while it still writes
 * leaves the files written after the deletion behind.
 */
public final class Scratch implements AutoCloseable {
    private static final String PREFIX = ".ldmlab-tmp-";
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-([0-9a-z]+)-[0-9a-z]+");
    /** How long shutdown waits for the filling thread to notice the interrupt and stop writing. */
    private static final long STOP_SECONDS = 5;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Start times are read from the system's clock and boot time, which can drift by a second between reads. */
    private static final long START_TOLERANCE_SECONDS = 2;
    private static final String OWNER = ProcessHandle.current().pid() + "-" + Long.toString(startSecond(ProcessHandle.current()), 36);

    private final Path path;
    /** The outermost of the folders above {@link #path} that this scratch made (null: none), removed with it if empty. */
    private final Path madeFolders;
    private final Thread hook;
    private final CountDownLatch closed = new CountDownLatch(1);

    private Scratch(Path path, Path madeFolders) {
        this.path = path;
        this.madeFolders = madeFolders;
        Thread owner = Thread.currentThread();
        this.hook = new Thread(() -> {
            owner.interrupt();
            try {
                closed.await(STOP_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            delete();
        }, "ldmlab-scratch-cleanup");
    }

    /**
     * A new empty file in {@code parent}; the caller renames or deletes it (a killed run's is removed by a later run).
     * Files.createTemp* would make it private (mode 600), and the rename would carry that onto the output; a plain
     * create keeps the user's usual permissions (umask).
     */
    public static Path newFile(Path parent) throws IOException {
        removeStale(parent);
        return Files.createFile(parent.resolve(freshName()));
    }

    /**
     * A new empty folder in {@code parent} (made if missing), removed by {@link #close} or at shutdown, and with it the
     * folders it made for {@code parent} if they are empty: a run stopped by Ctrl-C leaves no empty output folder. Refused
     * once the JVM is shutting down, when nothing would remove it.
     */
    public static Scratch newFolder(Path parent) throws IOException {
        Path made = AtomicFiles.outermostMissing(parent);
        try {
            Files.createDirectories(parent);
            removeStale(parent);
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteEmptyFolders(made);
            throw e;
        }
        Scratch scratch = new Scratch(parent.resolve(freshName()), made);
        try {
            Runtime.getRuntime().addShutdownHook(scratch.hook);
        } catch (IllegalStateException shuttingDown) {
            throw new InterruptedIOException("stopped: the program is shutting down");
        }
        try {
            Files.createDirectory(scratch.path);
        } catch (IOException | RuntimeException e) {
            scratch.close();
            throw e;
        }
        return scratch;
    }

    public Path path() {
        return path;
    }

    /** Deletes the folder (whatever is still in it). */
    @Override
    public void close() {
        delete();
        closed.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it finds the folder gone and returns
        }
    }

    private void delete() {
        AtomicFiles.deleteQuietly(path);
        AtomicFiles.deleteEmptyFolders(madeFolders);
    }

    /**
     * Deletes the entries in {@code folder} that a process no longer alive left behind. Skipped inside a scratch folder
     * of this process, which is new and holds only this process's files (a dataset writes thousands there).
     */
    static void removeStale(Path folder) throws IOException {
        for (Path name : folder.toAbsolutePath()) {
            if (name.toString().startsWith(PREFIX + OWNER + "-")) {
                return;
            }
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, PREFIX + "*")) {
            for (Path entry : entries) {
                Matcher m = NAME.matcher(entry.getFileName().toString());
                if (m.matches() && !alive(Long.parseLong(m.group(1)), Long.parseLong(m.group(2), 36))) {
                    AtomicFiles.deleteQuietly(entry);
                }
            }
        }
    }

    /** Whether process {@code pid}, started at {@code startSecond}, still runs (a reused pid has another start time). */
    private static boolean alive(long pid, long startSecond) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return false;
        }
        long started = startSecond(process.get());
        return started == 0 || startSecond == 0 || Math.abs(started - startSecond) <= START_TOLERANCE_SECONDS;
    }

    /** The process's start time in seconds since 1970, 0 where the system does not say. */
    private static long startSecond(ProcessHandle process) {
        return process.info().startInstant().map(Instant::getEpochSecond).orElse(0L);
    }

    private static String freshName() {
        return PREFIX + OWNER + "-" + Long.toUnsignedString(RANDOM.nextLong(), 36);
    }
}
