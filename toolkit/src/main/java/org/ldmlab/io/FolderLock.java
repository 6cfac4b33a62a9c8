package org.ldmlab.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.ldmlab.InvalidInputException;

/**
 * An exclusive lock on a working folder (a file {@code .lock} in it, naming the process), held while a long run writes
 * there, so a second run on the same folder is refused instead of interleaving its checkpoints and tables with the
 * first's. The operating system releases it when the process ends, however it ends, so a crashed run never leaves the
 * folder locked. Closing removes the lock file, and the folder too if the lock made it and the run left nothing in it.
 */
public final class FolderLock implements AutoCloseable {
    static final String FILE = ".lock";
    /** Attempts when the lock file is removed between our open and our lock (its holder just finished). */
    private static final int ATTEMPTS = 3;
    /**
     * The folders this process has locked. A second channel on a locked file must never be opened in the same process:
     * closing it would release the process's lock (POSIX locks belong to the process, not the channel).
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path folder;
    private final Path held;
    /** The outermost of the folders the lock made (null: none), removed when the run leaves them empty. */
    private final Path made;
    private final FileChannel channel;
    private final FileLock lock;
    /** Ctrl-C or SIGTERM ends the run without {@link #close}: the lock file and an empty folder go then too. */
    private final Thread onExit = new Thread(this::removeTraces, "ldmlab-folder-lock");

    private FolderLock(Path folder, Path held, Path made, FileChannel channel, FileLock lock) {
        this.folder = folder;
        this.held = held;
        this.made = made;
        this.channel = channel;
        this.lock = lock;
    }

    /** Creates the folder if needed and locks it; {@code what} names the run in the refusal. */
    public static FolderLock acquire(Path folder, String what) throws IOException {
        Path file = folder.resolve(FILE);
        AtomicFiles.prepareParent(file); // a clear reason when the folder is a file or not writable
        Path made = AtomicFiles.outermostMissing(folder);
        Files.createDirectories(folder);
        Path held = folder.toRealPath();
        if (!HELD.add(held)) {
            throw refusal(what, folder, ProcessHandle.current().pid() + "");
        }
        try {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                Files.createDirectories(folder); // again on a retry: a finishing run removes a folder it made and left empty
                FileChannel channel;
                try {
                    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                } catch (NoSuchFileException removedMeanwhile) {
                    continue;
                }
                Object opened = identity(file);
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    String holder = readPid(channel);
                    channel.close();
                    throw refusal(what, folder, holder);
                }
                if (opened != null && opened.equals(identity(file))) {
                    writePid(channel);
                    FolderLock locked = new FolderLock(folder, held, made, channel, lock);
                    Runtime.getRuntime().addShutdownHook(locked.onExit);
                    return locked;
                }
                channel.close(); // we locked a file its holder removed on finishing: try the new one
            }
            throw new InvalidInputException("cannot lock " + folder + ": runs keep starting and ending there; try again");
        } catch (IOException | RuntimeException e) {
            HELD.remove(held);
            throw e;
        }
    }

    private static InvalidInputException refusal(String what, Path folder, String pid) {
        return new InvalidInputException("another " + what + " is running in " + folder
                + (pid.matches("\\d+") ? " (process " + pid + ")" : "") + "; wait for it to end, or give another folder");
    }

    /** The file's identity (device and inode) as its name gives it now, without opening it; null if it is gone. */
    private static Object identity(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Our process id in the lock file, for the refusal another run prints. Only that message needs it: on a full disk the
     * lock holds without it, and the run says what it cannot write when it first saves.
     */
    private static void writePid(FileChannel channel) {
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        } catch (IOException e) {
            // the refusal then names no process
        }
    }

    private static String readPid(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
    }

    @Override
    public void close() throws IOException {
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook does the same
        }
        try {
            removeTraces();
        } finally {
            lock.release();
            channel.close();
            HELD.remove(held);
        }
    }

    /** Removes the lock file (while locked, so no other run is using it) and the folders the lock made, if left empty. */
    private void removeTraces() {
        try {
            Files.deleteIfExists(folder.resolve(FILE));
        } catch (IOException e) {
            return; // a stale lock file locks nothing
        }
        AtomicFiles.deleteEmptyFolders(made); // a run that starts there meanwhile keeps it: it is not empty then
    }
}
