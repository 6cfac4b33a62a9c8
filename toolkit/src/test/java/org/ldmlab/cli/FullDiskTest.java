package org.ldmlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldmlab.JavaProcess;
import org.ldmlab.ldm.Models;

/**
 * Every command that writes, on a real full disk: a small tmpfs, filled up, mounted in a mount namespace of its own
 * ({@code unshare}; skipped where the machine does not allow one). Each must say which output it cannot write, exit
 * with status 2 and leave nothing on the disk.
 */
class FullDiskTest {
    @TempDir
    Path dir;

    @Test
    void everyWritingCommandSaysTheDiskIsFullAndLeavesNothing() throws Exception {
        assumeTrue(canMount(), "no mount namespace here (unshare -rm): the full-disk test needs one");
        Path disk = Files.createDirectory(dir.resolve("disk"));
        Path autoencoder = Files.copy(Models.shipped(Models.AUTOENCODER), dir.resolve("autoencoder.zip"));
        Map<String, List<String>> commands = new LinkedHashMap<>();
        commands.put("schedule.csv", List.of("schedule", "--out", disk.resolve("schedule.csv").toString()));
        commands.put("set", List.of("dataset", "--count", "3", "--out", disk.resolve("set").toString()));
        commands.put("render.png", List.of("render", "--caption", "a big red circle on the left", "--out", disk.resolve("render.png").toString()));
        commands.put("export.zip", List.of("export", "--model", autoencoder.toString(), "--kind", "autoencoder", "--out",
                disk.resolve("export.zip").toString()));
        commands.put("samples", List.of("sample", "--prompt", "a big red circle on the left", "--n", "1", "--steps", "2",
                "--out", disk.resolve("samples").toString()));
        commands.put("run/classifier.zip", List.of("train", "classifier", "--steps", "1", "--batch", "4", "--out",
                disk.resolve("run").toString()));
        commands.put("dataset_preview.png", List.of("tour", "--out", disk.toString()));

        // Two chains of commands at a time (two cores); each command's output and status go to files beside the disk.
        StringBuilder[] chains = {new StringBuilder(), new StringBuilder()};
        int i = 0;
        for (List<String> argv : commands.values()) {
            chains[i % 2].append(String.join(" ", quoted(JavaProcess.command(Main.class, argv.toArray(String[]::new)))))
                    .append(" > ").append(dir.resolve("out" + i)).append(" 2>&1; echo $? > ").append(dir.resolve("status" + i)).append("; ");
            i++;
        }
        String script = "mount -t tmpfs -o size=64k tmpfs " + disk + " && dd if=/dev/zero of=" + disk.resolve("filler")
                + " bs=4k 2>/dev/null; (" + chains[0] + ") & (" + chains[1] + ") & wait; ls -A " + disk;
        Process shell = new ProcessBuilder("unshare", "-rm", "sh", "-c", script).redirectErrorStream(true).start();
        String left = new String(shell.getInputStream().readAllBytes());
        assertTrue(shell.waitFor(5, TimeUnit.MINUTES));
        assertEquals("filler", left.strip(), "the full disk holds more than the filler");

        i = 0;
        for (Map.Entry<String, List<String>> c : commands.entrySet()) {
            String err = Files.readString(dir.resolve("out" + i));
            String what = c.getValue().get(0) + ": " + err;
            assertEquals("2", Files.readString(dir.resolve("status" + i)).strip(), what);
            assertTrue(err.contains("cannot write " + disk.resolve(c.getKey()) + ": no space left on device"), what);
            assertTrue(!err.contains("internal error") && !err.contains("\tat "), what);
            i++;
        }
    }

    private static boolean canMount() throws IOException, InterruptedException {
        try {
            Process p = new ProcessBuilder("unshare", "-rm", "sh", "-c", "mount -t tmpfs tmpfs /mnt").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException noUnshare) {
            return false;
        }
    }

    private static List<String> quoted(List<String> words) {
        List<String> quoted = new ArrayList<>();
        for (String w : words) {
            quoted.add("'" + w.replace("'", "'\\''") + "'");
        }
        return quoted;
    }
}
