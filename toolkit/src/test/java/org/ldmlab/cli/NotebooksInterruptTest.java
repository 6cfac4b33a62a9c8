package org.ldmlab.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldmlab.JavaProcess;

/**
 * SIGTERM to `ldmlab notebooks --execute` while a lab runs: Jupyter and the kernel it started are stopped with it, and
 * the scratch folder goes. Jupyter is a stand-in on the PATH that behaves as nbconvert does: it starts a kernel (a
 * child process), writes into its output folder and waits for the kernel.
 */
class NotebooksInterruptTest {
    @TempDir
    Path dir;
    private Process ldmlab;

    @AfterEach
    void stopAll() throws IOException {
        if (ldmlab != null) {
            ldmlab.destroyForcibly();
        }
        for (String name : List.of("nbconvert", "kernel")) {
            pid(name).flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void sigtermStopsJupyterAndItsKernelAndRemovesTheScratchFolder() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path data = Files.createDirectories(dir.resolve("share/kernels/java")).getParent().getParent();
        Files.writeString(data.resolve("kernels/java/kernel.json"), "{}");
        Path pids = Files.createDirectories(dir.resolve("pids"));
        executable(bin.resolve("jupyter-nbconvert"), "#!/bin/sh\nexit 0\n");
        executable(bin.resolve("jupyter"), """
                #!/bin/sh
                case "$1" in
                  --paths) printf 'config:\\n    /nowhere\\ndata:\\n    %s\\nruntime:\\n    /tmp\\n' "DATA" ;;
                  nbconvert)
                    while [ $# -gt 0 ]; do [ "$1" = --output-dir ] && out="$2"; shift; done
                    echo partial > "$out/partial.ipynb"
                    sleep 600 & echo $! > PIDS/kernel
                    echo $$ > PIDS/nbconvert
                    wait ;;
                esac
                """.replace("DATA", data.toString()).replace("PIDS", pids.toString()));
        Path build = dir.resolve("build");
        ProcessBuilder pb = new ProcessBuilder(JavaProcess.command(Main.class, "notebooks", "--execute", "--only", "01",
                "--out", build.toString())).redirectErrorStream(true).redirectOutput(dir.resolve("ldmlab.log").toFile());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        ldmlab = pb.start();
        assertTrue(JavaProcess.await(() -> Files.exists(pids.resolve("nbconvert")) && Files.exists(pids.resolve("kernel")),
                Duration.ofSeconds(60)), JavaProcess.read(dir.resolve("ldmlab.log")));

        ldmlab.destroy(); // SIGTERM
        assertTrue(ldmlab.waitFor(30, TimeUnit.SECONDS), "ldmlab did not end on SIGTERM");
        for (String name : List.of("nbconvert", "kernel")) {
            long pid = pid(name).orElseThrow();
            assertTrue(JavaProcess.await(() -> !running(pid), Duration.ofSeconds(5)), name + " (process " + pid + ") still runs");
        }
        assertFalse(Files.exists(build), "the scratch folder is removed, and the --out folder the run made for it, now empty");
    }

    private Optional<Long> pid(String name) throws IOException {
        Path file = dir.resolve("pids").resolve(name);
        return Files.exists(file) ? Optional.of(Long.parseLong(Files.readString(file).strip())) : Optional.empty();
    }

    /** Whether the process exists and is not a zombie (a killed orphan may wait a moment for init to reap it). */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException gone) {
            return false;
        }
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
