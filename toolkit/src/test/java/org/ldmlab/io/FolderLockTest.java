package org.ldmlab.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldmlab.InvalidInputException;
import org.ldmlab.JavaProcess;

class FolderLockTest {
    @TempDir
    Path dir;
    @TempDir
    Path logs;
    private Process holder;

    @AfterEach
    void stopHolder() {
        if (holder != null) {
            holder.destroyForcibly();
        }
    }

    /** Another process holds the lock of {@code folder}; returns once it does. */
    Process holdInAnotherProcess(Path folder) throws Exception {
        Path log = logs.resolve("holder.log");
        holder = JavaProcess.start(HoldFolderLock.class, log, folder.toString());
        assertTrue(JavaProcess.await(() -> JavaProcess.read(log).contains("locked"), Duration.ofSeconds(30)), JavaProcess.read(log));
        return holder;
    }

    @Test
    void aFolderLockedByAnotherProcessIsRefusedUntilThatProcessDiesHoweverItDies() throws Exception {
        Path folder = dir.resolve("run");
        Process other = holdInAnotherProcess(folder);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> FolderLock.acquire(folder, "training"));
        assertTrue(e.getMessage().contains("another training is running in " + folder + " (process " + other.pid() + ")"),
                e.getMessage());

        other.destroyForcibly(); // kill -9: the lock file stays, the lock does not
        assertTrue(other.waitFor(30, TimeUnit.SECONDS));
        assertTrue(Files.exists(folder.resolve(FolderLock.FILE)));
        try (FolderLock lock = FolderLock.acquire(folder, "training")) {
            assertTrue(Files.exists(folder.resolve(FolderLock.FILE)));
        }
    }

    @Test
    void aSigtermRemovesTheLockFileAndTheFoldersTheLockMadeIfNothingFilledThem() throws Exception {
        // train ldm stopped by Ctrl-C while it encoded its latents left new/run/.lock behind
        Process other = holdInAnotherProcess(dir.resolve("new").resolve("run"));
        other.destroy(); // SIGTERM
        assertTrue(other.waitFor(30, TimeUnit.SECONDS));
        assertEquals(List.of(), list(dir));

        Path filled = dir.resolve("filled");
        other = holdInAnotherProcess(filled);
        Files.writeString(filled.resolve("ckpt.zip"), "x");
        other.destroy();
        assertTrue(other.waitFor(30, TimeUnit.SECONDS));
        assertEquals(List.of(filled.resolve("ckpt.zip")), list(filled));
    }

    @Test
    void closingRemovesTheLockFileAndAFolderTheLockMadeAndNothingFilled() throws IOException {
        Path made = dir.resolve("new");
        FolderLock.acquire(made, "training").close();
        assertFalse(Files.exists(made), "an empty folder the lock made is left behind");

        Path filled = dir.resolve("filled");
        try (FolderLock lock = FolderLock.acquire(filled, "training")) {
            Files.writeString(filled.resolve("ckpt.zip"), "x");
        }
        assertEquals(List.of(filled.resolve("ckpt.zip")), list(filled));

        Path existing = Files.createDirectory(dir.resolve("existing"));
        FolderLock.acquire(existing, "training").close();
        assertTrue(Files.isDirectory(existing), "a folder that was there before is the user's");
        assertEquals(List.of(), list(existing));
    }

    @Test
    void aFileInThePlaceOfTheFolderIsAClearError() throws IOException {
        Path file = Files.writeString(dir.resolve("run"), "x");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> FolderLock.acquire(file, "training"));
        assertTrue(e.getMessage().contains("is a file, not a folder"), e.getMessage());
    }

    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        }
    }
}
