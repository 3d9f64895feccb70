package io.dicomspanner.dicom.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A long-running peer (dcmqrscp, Orthanc) started by a test: its own process and the processes it forked, nothing
 * else. Stopping sends SIGTERM to the process's descendants and then to the process, and SIGKILL to whatever is left
 * after a grace period. A JVM shutdown hook does the same if a test run is interrupted before it stops the peer.
 */
final class PeerProcess {

    /** How often readiness is probed while waiting for a peer. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    /** How long one readiness connection attempt may take. */
    static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Thread shutdownHook;
    private boolean stopped;

    private PeerProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.shutdownHook = new Thread(() -> kill(process), name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts {@code command} in {@code workDir} with {@code TCP_NODELAY=1}, output to {@code logFile}. */
    static PeerProcess start(String name, List<String> command, Path workDir, Path logFile) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        builder.environment().put("TCP_NODELAY", "1");
        return new PeerProcess(name, builder.start(), logFile);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the peer has logged so far. */
    String log() {
        try {
            return Files.exists(logFile) ? ExternalCommand.readLog(logFile) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until {@code ready} holds, probing every {@link #POLL_INTERVAL}.
     *
     * @return false if the process ended first (typically: its port was taken) or the time ran out
     */
    boolean awaitReady(BooleanSupplier ready, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            if (ready.getAsBoolean()) {
                return true;
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
        return false;
    }

    /** True if something accepts TCP connections on the loopback port. */
    static boolean acceptsConnections(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) CONNECT_TIMEOUT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Stops the peer and the processes it forked; idempotent. If the calling thread is interrupted while waiting, the
     * peer is killed at once and the interrupt flag is kept.
     */
    void stop(Duration grace) {
        if (stopped) {
            return;
        }
        stopped = true;
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already shutting down and runs the hook itself; nothing is left to undo here.
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
