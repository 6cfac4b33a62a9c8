package org.ldmlab.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.ldmlab.InvalidInputException;

/**
 * An exclusive lock on a working folder (a file {@code .lock} in it), held while a long run writes there, so a
 * second run on the same folder is refused instead of interleaving its checkpoints and tables with the first's.
 * The operating system releases it when the process ends, however it ends.
 */
public final class FolderLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private FolderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Creates the folder if needed and locks it; {@code what} names the run in the refusal. */
    public static FolderLock acquire(Path folder, String what) throws IOException {
        Files.createDirectories(folder);
        FileChannel channel = FileChannel.open(folder.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new InvalidInputException("another " + what + " is running in " + folder + "; wait for it to end, or give another folder");
        }
        return new FolderLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
