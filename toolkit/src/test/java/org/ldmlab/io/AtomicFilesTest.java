package org.ldmlab.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private static long count(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        }
    }
}
