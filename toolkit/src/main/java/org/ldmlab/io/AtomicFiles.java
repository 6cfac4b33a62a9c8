package org.ldmlab.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.ldmlab.InvalidInputException;

/**
 * Files and folders that appear whole or not at all: content goes to a temporary sibling first and is
 * renamed into place, so an interrupted run never leaves a half-written file behind.
 */
public final class AtomicFiles {
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private AtomicFiles() {}

    /** Something that writes a file's content to a stream. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Something that fills a fresh folder. */
    @FunctionalInterface
    public interface Filler {
        void fill(Path folder) throws IOException;
    }

    /** Writes {@code target} via a temporary file in the same folder, then renames it over the target. */
    public static void write(Path target, Writer writer) throws IOException {
        Path parent = prepareParent(target);
        if (Files.isDirectory(target)) {
            throw new InvalidInputException("cannot write " + target + ": it is a folder; give a file path");
        }
        Path tmp = Files.createFile(temporarySibling(parent));
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.write(out);
            }
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true); // on disk before the rename, so a power cut cannot leave a renamed but empty file
            }
            move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /**
     * Fills a new folder at {@code target}: built under a temporary name beside it and renamed into place
     * when {@code filler} returns. The target must not exist, or be an empty folder.
     */
    public static void writeFolder(Path target, Filler filler) throws IOException {
        Path parent = checkNewFolder(target);
        Path tmp = Files.createDirectory(temporarySibling(parent));
        Thread cleanup = new Thread(() -> deleteQuietly(tmp));
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            filler.fill(tmp);
            Files.deleteIfExists(target);
            move(tmp, target);
        } finally {
            deleteQuietly(tmp);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run; nothing left to do
            }
        }
    }

    /**
     * Checks that {@link #writeFolder} can make {@code target} (a writable parent; not a file; missing or empty), so a
     * command can say so before any long work. Returns the parent folder.
     */
    public static Path checkNewFolder(Path target) throws IOException {
        Path parent = prepareParent(target);
        if (Files.isRegularFile(target)) {
            throw new InvalidInputException("output folder " + target + " is an existing file; choose a folder path for --out");
        }
        if (Files.exists(target) && !isEmptyDirectory(target)) {
            throw new InvalidInputException("output folder " + target + " already exists and is not empty; "
                    + "choose a new --out or remove it first");
        }
        return parent;
    }

    /** Checks early that {@code target} can be written, so a long job does not fail at its last step. */
    public static Path prepareParent(Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (FileAlreadyExistsException e) {
            throw new InvalidInputException("cannot write " + target + ": " + e.getFile() + " is a file, not a folder");
        } catch (IOException e) {
            throw new InvalidInputException("cannot write " + target + ": cannot create folder " + parent + " (" + e + ")");
        }
        if (!Files.isWritable(parent)) {
            throw new InvalidInputException("cannot write " + target + ": folder " + parent + " is not writable");
        }
        return parent;
    }

    /**
     * A fresh hidden name beside the target. Files.createTemp* would make it private (mode 600/700), and the
     * rename would carry that onto the output; a plain create keeps the user's usual permissions (umask).
     */
    private static Path temporarySibling(Path parent) {
        return parent.resolve(".ldmlab-tmp-" + Long.toUnsignedString(RANDOM.nextLong(), 36));
    }

    /** Renames {@code from} over {@code to}: atomically where the filesystem can, else as a plain move. */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (DirectoryNotEmptyException e) {
            throw new InvalidInputException("cannot write " + to + ": a non-empty folder is in the way");
        }
    }

    private static boolean isEmptyDirectory(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return false;
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        }
    }

    /** Deletes a file or folder tree, as far as it can: for temporary work, whose leftovers are harmless. */
    public static void deleteQuietly(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover temporary folder is hidden and harmless
        }
    }
}
