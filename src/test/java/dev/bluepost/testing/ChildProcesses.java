package dev.bluepost.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Bookkeeping for the OS processes the packaged-application tests start (broker, application):
 * every process is destroyed when the test JVM exits (shutdown hook), and its pid is written to a
 * file so that a process left over by a test JVM that was itself killed is ended on the next run.
 */
public final class ChildProcesses {

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () ->
                                        RUNNING.forEach(
                                                p -> {
                                                    p.descendants()
                                                            .forEach(
                                                                    ProcessHandle::destroyForcibly);
                                                    p.destroyForcibly();
                                                }),
                                "child-process-reaper"));
    }

    private ChildProcesses() {}

    /** Starts {@code builder}, remembering the process (and its pid in {@code pidFile}). */
    public static Process start(ProcessBuilder builder, Path pidFile) {
        killLeftover(pidFile);
        try {
            Process process = builder.start();
            RUNNING.add(process);
            Files.writeString(pidFile, Long.toString(process.pid()), StandardCharsets.US_ASCII);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + builder.command().get(0), e);
        }
    }

    /** SIGTERM, then SIGKILL if the process has not ended after {@code graceSeconds}. */
    public static void stop(Process process, Path pidFile, int graceSeconds) {
        process.destroy();
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(graceSeconds, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        forget(process, pidFile);
    }

    /** Marks {@code process} as ended (after the caller has waited for it). */
    public static void forget(Process process, Path pidFile) {
        RUNNING.remove(process);
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True while the OS still knows a live process with this pid. */
    public static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Ends the process a previous, abruptly ended test run left behind (if {@code pidFile} names a live java process). */
    public static void killLeftover(Path pidFile) {
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim());
            Optional<ProcessHandle> leftover =
                    ProcessHandle.of(pid)
                            .filter(
                                    h ->
                                            h.info()
                                                    .command()
                                                    .map(c -> c.endsWith("java"))
                                                    .orElse(false));
            leftover.ifPresent(
                    h -> {
                        h.destroyForcibly();
                        h.onExit().orTimeout(10, TimeUnit.SECONDS).join();
                    });
            Files.delete(pidFile);
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException(
                    "cannot clean up the left-over process of " + pidFile, e);
        }
    }
}
