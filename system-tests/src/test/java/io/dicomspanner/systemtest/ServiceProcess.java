package io.dicomspanner.systemtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One OS process a system test started (a service jar, the simulator, a redis-server): its output (stdout and stderr
 * together) goes to a log file under the run's directory, readiness is awaited with a bound, and it is ended by
 * SIGTERM (with SIGKILL after a grace period) or, to play a crash, by SIGKILL at once. A JVM shutdown hook kills it if
 * the test JVM ends first, so no run leaves processes behind.
 */
final class ServiceProcess implements AutoCloseable {

    /** How often readiness is probed. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    /** Grace period between SIGTERM and SIGKILL. */
    static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /** Lines of a log shown when a process fails to start. */
    static final int LOG_TAIL_LINES = 80;

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Thread shutdownHook;

    private ServiceProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.shutdownHook = new Thread(process::destroyForcibly, name + "-kill-on-exit");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts {@code command} with {@code environment} added to this JVM's, output to {@code logFile} (appended to, so
     * a restarted service keeps one log).
     */
    static ServiceProcess start(String name, List<String> command, Map<String, String> environment, Path logFile)
            throws IOException {
        Files.createDirectories(logFile.getParent());
        Files.writeString(
                logFile,
                "=== " + name + ": " + String.join(" ", command) + System.lineSeparator(),
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(environment);
        // dcmtk-based peers and our services alike: no Nagle delay on loopback DICOM connections.
        builder.environment().put("TCP_NODELAY", "1");
        return new ServiceProcess(name, builder.start(), logFile);
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path logFile() {
        return logFile;
    }

    /** Everything the process has written so far. */
    String log() {
        try {
            return Files.exists(logFile) ? new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last {@code lines} lines of the log. */
    String logTail(int lines) {
        List<String> all = log().lines().toList();
        return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /**
     * Waits until {@code ready} holds.
     *
     * @throws IllegalStateException with the log's tail if the process ends first or the time runs out
     */
    void awaitReady(String what, BooleanSupplier ready, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " ended (exit " + process.exitValue() + ") before " + what
                        + "; log " + logFile + ":\n" + logTail(LOG_TAIL_LINES));
            }
            if (ready.getAsBoolean()) {
                return;
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
        throw new IllegalStateException(
                name + ": not " + what + " after " + timeout + "; log " + logFile + ":\n" + logTail(LOG_TAIL_LINES));
    }

    /** A crash: SIGKILL, no chance to clean up; returns when the process is gone. */
    void kill() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " (pid " + pid() + ") still alive after SIGKILL");
        }
        removeShutdownHook();
    }

    /** SIGTERM, then SIGKILL after {@link #STOP_GRACE}; idempotent. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        removeShutdownHook();
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting and runs the hook itself.
        }
    }

    /** True if something accepts TCP connections on the loopback port. */
    static boolean acceptsConnections(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", log " + logFile + ")";
    }
}
