package org.ldmlab.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ldmlab.InvalidInputException;

/**
 * Files and folders that appear whole or not at all: content goes to a temporary sibling first ({@link Scratch}) and
 * is renamed into place, so an interrupted run never leaves a half-written file behind. A full disk is a one-line
 * reason naming the output ({@link DiskFull}), not an internal error.
 */
public final class AtomicFiles {
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
        writeAll(Map.of(target, writer));
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Writes files that belong together (an image and its masks) in the map's order: each to a temporary sibling, and
     * only when all are complete are they renamed into place, so a failure (a folder in the way, a full disk) replaces
     * none of them.
     */
    public static void writeAll(Map<Path, Writer> files) throws IOException {
        List<Path> folders = new ArrayList<>();
        for (Path target : files.keySet()) {
            folders.add(checkNewFile(target));
        }
        Map<Path, Path> temporaries = new LinkedHashMap<>();
        leavingNoNewFolderOnFailure(folders, () -> {
            try {
                for (Map.Entry<Path, Writer> file : files.entrySet()) {
                    temporaries.put(file.getKey(), writeTemporary(file.getKey(), file.getValue()));
                }
                for (Map.Entry<Path, Path> t : temporaries.entrySet()) {
                    move(t.getValue(), t.getKey());
                }
            } finally {
                for (Path tmp : temporaries.values()) {
                    Files.deleteIfExists(tmp);
                }
            }
            return null;
        });
    }

    /** The content of {@code target}, complete and on disk, in a new temporary sibling. */
    private static Path writeTemporary(Path target, Writer writer) throws IOException {
        return reportingFullDisk(target, () -> {
            Path parent = Files.createDirectories(target.toAbsolutePath().getParent());
            Path tmp = Scratch.newFile(parent);
            try {
                FailureKeepingStream out = new FailureKeepingStream(Files.newOutputStream(tmp));
                try (out) {
                    writer.write(out);
                } catch (RuntimeException e) {
                    IOException hidden = out.hiddenFailure(e);
                    if (hidden != null) {
                        throw hidden;
                    }
                    throw e;
                }
                try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    channel.force(true); // on disk before the rename, so a power cut cannot leave a renamed but empty file
                }
                return tmp;
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
        });
    }

    /**
     * Fills a new folder at {@code target}: built under a temporary name beside it and renamed into place
     * when {@code filler} returns. The target must not exist, or be an empty folder.
     */
    public static void writeFolder(Path target, Filler filler) throws IOException {
        Path parent = checkNewFolder(target);
        reportingFullDisk(target, () -> {
            try (Scratch tmp = Scratch.newFolder(parent)) { // it makes the parent folders, and removes them on a failure
                filler.fill(tmp.path());
                Files.deleteIfExists(target);
                move(tmp.path(), target);
            }
            return target;
        });
    }

    /** Something that writes {@code target}. */
    @FunctionalInterface
    private interface Writing<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code writing}, which makes {@code folders} as needed; if it fails, the ones it made are removed again as far
     * as they are empty: a failed run (a full disk) leaves no empty output folder behind.
     */
    private static <T> T leavingNoNewFolderOnFailure(List<Path> folders, Writing<T> writing) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path folder : folders) {
            missing.add(outermostMissing(folder));
        }
        try {
            return writing.run();
        } catch (IOException | RuntimeException e) {
            missing.forEach(AtomicFiles::deleteEmptyFolders);
            throw e;
        }
    }

    /** The outermost folder of {@code folder}'s path that does not exist yet, the first a createDirectories makes; null if it exists. */
    static Path outermostMissing(Path folder) {
        Path outermost = null;
        for (Path p = folder.toAbsolutePath(); p != null && !Files.exists(p); p = p.getParent()) {
            outermost = p;
        }
        return outermost;
    }

    /**
     * Deletes {@code root} (null: nothing) and the folders in it as far as they are empty, deepest first; a file anywhere
     * keeps its folders, and so does one that another process fills meanwhile (a folder is deleted only when empty).
     */
    static void deleteEmptyFolders(Path root) {
        if (root == null || !Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(p);
                }
            }
        } catch (IOException notEmpty) {
            // what is left holds something
        }
    }

    /** Runs {@code writing}; a full disk on the way is reported as the reason {@code target} could not be written. */
    private static <T> T reportingFullDisk(Path target, Writing<T> writing) throws IOException {
        try {
            return writing.run();
        } catch (IOException | RuntimeException e) {
            if (DiskFull.in(e)) {
                throw DiskFull.writing(target, e);
            }
            throw e;
        }
    }

    /**
     * A stream that remembers its first IOException: some writers (Tablesaw's CSV writer) catch it and throw their own
     * exception without it ("No writer provided"), which would hide the real reason, such as a full disk.
     */
    private static final class FailureKeepingStream extends FilterOutputStream {
        private IOException failure;

        FailureKeepingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            keep(() -> out.write(b));
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            keep(() -> out.write(b, off, len));
        }

        @Override
        public void flush() throws IOException {
            keep(out::flush);
        }

        @Override
        public void close() throws IOException {
            keep(out::close);
        }

        /** A write, flush or close of the underlying stream. */
        @FunctionalInterface
        private interface Operation {
            void run() throws IOException;
        }

        private void keep(Operation operation) throws IOException {
            try {
                operation.run();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                }
                throw e;
            }
        }

        /** The stream's own failure if the writer hid it behind {@code thrown} (kept with it), else null. */
        IOException hiddenFailure(RuntimeException thrown) {
            if (failure != null) {
                failure.addSuppressed(thrown);
            }
            return failure;
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

    /**
     * Checks that {@link #write} can write the file {@code target} (see {@link #prepareParent}; and it is not a folder),
     * so a command can say so before any long work. Returns its folder.
     */
    public static Path checkNewFile(Path target) {
        Path parent = prepareParent(target);
        if (Files.isDirectory(target)) {
            throw new InvalidInputException("cannot write " + target + ": it is a folder; give a file path");
        }
        return parent;
    }

    /**
     * Checks early that {@code target} can be written, so a long job does not fail at its last step: it names a file or
     * folder (not "", "." or "/"), and its folder is a writable folder, or can be made in one. Creates nothing (a run
     * that then fails leaves no empty folder behind); the writes make the folder. Returns it.
     */
    public static Path prepareParent(Path target) {
        Path name = target.getFileName();
        if (name == null || List.of("", ".", "..").contains(name.toString())) {
            throw new InvalidInputException("cannot write '" + target + "': the path names no file or folder to write");
        }
        Path parent = target.toAbsolutePath().getParent();
        checkWritable(parent, target);
        return parent;
    }

    /**
     * Checks early that files can be written in {@code folder}: it is a writable folder, or can be made in one. Creates
     * nothing, as {@link #prepareParent}.
     */
    public static void checkFolder(Path folder) {
        checkWritable(folder.toAbsolutePath(), folder);
    }

    /** Refuses {@code folder}, where {@code target} is to be written, unless it is or can be made a writable folder. */
    private static void checkWritable(Path folder, Path target) {
        Path existing = folder;
        while (!Files.exists(existing)) {
            existing = existing.getParent(); // the root exists, so this ends
        }
        if (!Files.isDirectory(existing)) {
            throw new InvalidInputException("cannot write " + target + ": " + existing + " is a file, not a folder");
        }
        if (!Files.isWritable(existing)) {
            throw new InvalidInputException("cannot write " + target + ": folder " + existing + " is not writable");
        }
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
