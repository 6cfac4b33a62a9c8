package org.ldmlab.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldmlab.InvalidInputException;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void failedWriteKeepsTheOldFileAndLeavesNoTemporary() throws IOException {
        Path f = dir.resolve("ckpt.bin");
        AtomicFiles.writeString(f, "good");
        assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write("half".getBytes());
            throw new IOException("interrupted");
        }));
        assertEquals("good", Files.readString(f));
        assertEquals(1, count(dir), "no temporary file left behind");
    }

    @Test
    void folderAppearsWholeOrNotAtAll() throws IOException {
        Path target = dir.resolve("set");
        assertThrows(IOException.class, () -> AtomicFiles.writeFolder(target, tmp -> {
            Files.writeString(tmp.resolve("a.txt"), "a");
            throw new IOException("stopped half way");
        }));
        assertFalse(Files.exists(target));
        assertEquals(0, count(dir), "no temporary folder left behind");

        AtomicFiles.writeFolder(target, tmp -> Files.writeString(tmp.resolve("a.txt"), "a"));
        assertEquals("a", Files.readString(target.resolve("a.txt")));
    }

    @Test
    void nonEmptyTargetFolderIsRefused() throws IOException {
        Path target = Files.createDirectories(dir.resolve("set"));
        Files.writeString(target.resolve("keep.txt"), "mine");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> AtomicFiles.writeFolder(target, tmp -> {}));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
        assertEquals("mine", Files.readString(target.resolve("keep.txt")));
    }

    @Test
    void pathUnderARegularFileIsAClearError() throws IOException {
        Path file = Files.writeString(dir.resolve("plain.txt"), "x");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> AtomicFiles.writeString(file.resolve("out.csv"), "data"));
        assertTrue(e.getMessage().contains("cannot write"), e.getMessage());
    }

    @Test
    void aFolderIsNeverReplacedByAFile() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("out"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> AtomicFiles.writeString(folder, "x"));
        assertTrue(e.getMessage().contains("is a folder"), e.getMessage());
        assertTrue(Files.isDirectory(folder));
    }

    @Test
    void anExistingFileIsNotAnOutputFolder() throws IOException {
        Path file = Files.writeString(dir.resolve("set"), "mine");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> AtomicFiles.writeFolder(file, tmp -> {}));
        assertTrue(e.getMessage().contains("is an existing file"), e.getMessage());
        assertEquals("mine", Files.readString(file));
    }

    @Test
    void writtenFilesAreReadableByOthersLikeAnyNewFile() throws IOException {
        Path f = dir.resolve("figure.png");
        AtomicFiles.writeString(f, "x");
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(f));
    }

    /** What the kernel says when a write finds the disk full: /dev/full answers every write with ENOSPC. */
    private static void writeToAFullDisk(OutputStream ignored) throws IOException {
        try (OutputStream full = new FileOutputStream("/dev/full")) {
            full.write(new byte[] {1});
        }
    }

    @Test
    void aFullDiskIsAReasonNamingTheOutputAndTheOldFileStays() throws IOException {
        Path f = dir.resolve("ckpt.zip");
        AtomicFiles.writeString(f, "good");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> AtomicFiles.write(f, AtomicFilesTest::writeToAFullDisk));
        assertEquals("cannot write " + f + ": no space left on device", e.getMessage());
        assertEquals("good", Files.readString(f));
        assertEquals(1, count(dir), "no temporary file left behind");

        Path set = dir.resolve("set");
        e = assertThrows(InvalidInputException.class, () -> AtomicFiles.writeFolder(set,
                folder -> AtomicFiles.write(folder.resolve("a.png"), AtomicFilesTest::writeToAFullDisk)));
        assertEquals("cannot write " + set + ": no space left on device", e.getMessage());
        assertEquals(1, count(dir), "no temporary folder left behind");
    }

    @Test
    void aFailedWriteLeavesNoFolderItMade() throws IOException {
        // a full disk left tour's, figures' and sweep's new --out folder behind, empty
        Path target = dir.resolve("new/figures/fid.png");
        assertThrows(InvalidInputException.class, () -> AtomicFiles.write(target, AtomicFilesTest::writeToAFullDisk));
        assertEquals(0, count(dir), "the folders the write made are gone");
        Path kept = Files.createDirectories(dir.resolve("mine"));
        assertThrows(InvalidInputException.class, () -> AtomicFiles.write(kept.resolve("x.png"), AtomicFilesTest::writeToAFullDisk));
        assertTrue(Files.isDirectory(kept), "a folder that was there stays");
    }

    @Test
    void checkingAnOutputCreatesNoFolder() throws IOException {
        Path target = dir.resolve("a/b/out.csv");
        assertEquals(target.getParent().toAbsolutePath(), AtomicFiles.prepareParent(target));
        assertEquals(0, count(dir), "a run that fails after its checks would leave an empty folder");
        AtomicFiles.writeString(target, "x");
        assertEquals("x", Files.readString(target));
    }

    @Test
    void aPathThatNamesNoFileOrFolderIsAClearError() {
        // --out "" was the working folder, --out . too: the rename onto it failed with "Invalid argument" after the work
        for (String target : new String[] {"", ".", "..", "a/..", "/"}) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> AtomicFiles.checkNewFolder(Path.of(target)), target);
            assertEquals("cannot write '" + target + "': the path names no file or folder to write", e.getMessage());
            assertThrows(InvalidInputException.class, () -> AtomicFiles.checkNewFile(Path.of(target)), target);
        }
    }

    @Test
    void filesThatBelongTogetherAppearTogetherOrNotAtAll() throws IOException {
        Path image = Files.writeString(dir.resolve("x.png"), "old image");
        Path mask = Files.createDirectory(dir.resolve("x_mask_0.png")); // a folder in the way of the second file
        Map<Path, AtomicFiles.Writer> files = new LinkedHashMap<>();
        files.put(image, out -> out.write("new image".getBytes()));
        files.put(mask, out -> out.write("mask".getBytes()));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> AtomicFiles.writeAll(files));
        assertTrue(e.getMessage().contains("it is a folder"), e.getMessage());
        assertEquals("old image", Files.readString(image));

        files.put(mask, out -> {
            throw new IOException("stopped");
        });
        Files.delete(mask);
        assertThrows(IOException.class, () -> AtomicFiles.writeAll(files));
        assertEquals("old image", Files.readString(image));
        assertEquals(1, count(dir), "no temporary file left behind");
    }

    private static long count(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        }
    }
}
