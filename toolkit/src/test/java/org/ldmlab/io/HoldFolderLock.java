package org.ldmlab.io;

import java.nio.file.Path;

/** Another process's run: locks the folder {@code args[0]}, says "locked" and keeps it until killed. */
public final class HoldFolderLock {
    private HoldFolderLock() {}

    public static void main(String[] args) throws Exception {
        try (FolderLock lock = FolderLock.acquire(Path.of(args[0]), "training")) {
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
