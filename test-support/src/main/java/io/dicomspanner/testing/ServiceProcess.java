package io.dicomspanner.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One OS process a test started (a service's jar, the PACS simulator, a redis-server, a Prometheus): its output (stdout
 * and stderr together) is appended to a log file, readiness is awaited with a bound, and it is ended by SIGTERM (with
 * SIGKILL after a grace period) or, to play a crash, by SIGKILL at once. A JVM shutdown hook kills it and every
 * process it forked if the test JVM ends first (a run interrupted or killed), so no run leaves a service behind.
 *
 * <pre>{@code
 * ServiceProcess gateway = ServiceProcess.builder("api-gateway", command, runDir.resolve("api-gateway.log"))
 *         .environment(Map.of("SERVER_PORT", "31001"))
 *         .start();
 * gateway.awaitSpringBootReady(31001, Duration.ofSeconds(180));
 * }</pre>
 */
public final class ServiceProcess implements AutoCloseable {

    /** How often readiness is probed. */
    public static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    /** Grace period between SIGTERM and SIGKILL unless the builder sets another. */
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);
    /** Lines of a log shown when a process fails to start. */
    public static final int LOG_TAIL_LINES = 80;
    /** Bound on one connection attempt of {@link #acceptsConnections}. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);
    /** Bound on one readiness probe of {@link #awaitHttpOk}. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(PROBE_TIMEOUT)
            .build();

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Duration stopGrace;
    private final Thread shutdownHook;

    private ServiceProcess(String name, Process process, Path logFile, Duration stopGrace) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.stopGrace = stopGrace;
        this.shutdownHook = new Thread(() -> destroyTree(process), name + "-kill-on-exit");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * A process to start: {@code command} named {@code name} (in messages and the log's first line), its output
     * appended to {@code logFile} (so a restarted service keeps one log; the directory is created).
     */
    public static Builder builder(String name, List<String> command, Path logFile) {
        return new Builder(name, command, logFile);
    }

    /** The options of one process; {@link #start()} starts it. */
    public static final class Builder {
        private final String name;
        private final List<String> command;
        private final Path logFile;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path directory;
        private Duration stopGrace = DEFAULT_STOP_GRACE;

        private Builder(String name, List<String> command, Path logFile) {
            this.name = name;
            this.command = List.copyOf(command);
            this.logFile = logFile;
            // dcmtk-based peers read it (no Nagle delay on loopback DICOM connections); every other program ignores it.
            environment.put("TCP_NODELAY", "1");
        }

        /** Variables added to this JVM's environment for the process. */
        public Builder environment(Map<String, String> variables) {
            environment.putAll(variables);
            return this;
        }

        /** The working directory (this JVM's unless set). */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /** How long {@link ServiceProcess#close()} waits after SIGTERM before SIGKILL. */
        public Builder stopGrace(Duration stopGrace) {
            this.stopGrace = stopGrace;
            return this;
        }

        public ServiceProcess start() throws IOException {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Files.writeString(
                    logFile,
                    "=== " + name + ": " + String.join(" ", command) + System.lineSeparator(),
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            builder.environment().putAll(environment);
            return new ServiceProcess(name, builder.start(), logFile, stopGrace);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    /**
     * Everything the process has written so far (test data only: no PHI of real patients), as UTF-8 with malformed
     * bytes replaced: a peer may log text in another character set.
     */
    public String log() {
        try {
            return Files.exists(logFile) ? new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last {@code lines} lines of the log. */
    public String logTail(int lines) {
        List<String> all = log().lines().toList();
        return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /**
     * Waits until {@code ready} holds, probing every {@link #POLL_INTERVAL}.
     *
     * @param what what readiness means, for the message ("answering PING")
     * @throws IllegalStateException with the log's tail if the process ends first or the time runs out
     */
    public void awaitReady(String what, BooleanSupplier ready, Duration timeout) throws InterruptedException {
        if (!becomesReady(ready, timeout)) {
            String why = process.isAlive()
                    ? "not " + what + " after " + timeout
                    : "ended (exit " + process.exitValue() + ") before " + what;
            throw new IllegalStateException(name + ": " + why + "; log " + logFile + ":\n" + logTail(LOG_TAIL_LINES));
        }
    }

    /**
     * Waits until {@code ready} holds, probing every {@link #POLL_INTERVAL}, for a caller that tries again elsewhere
     * when a start fails (a peer whose port was taken meanwhile).
     *
     * @return false if the process ended first or the time ran out
     */
    public boolean becomesReady(BooleanSupplier ready, Duration timeout) throws InterruptedException {
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

    /** True if something accepts TCP connections on the loopback port within {@link #CONNECT_TIMEOUT}. */
    public static boolean acceptsConnections(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) CONNECT_TIMEOUT.toMillis());
            return true;
        } catch (IOException notListening) {
            return false;
        }
    }

    /** {@link #awaitReady} until a GET of {@code uri} (a health URL) answers 200. */
    public void awaitHttpOk(URI uri, Duration timeout) throws InterruptedException {
        awaitReady("ready (GET " + uri + " answers 200)", () -> status(uri) == 200, timeout);
    }

    /** {@link #awaitHttpOk} on a Spring Boot service's readiness probe: {@code /actuator/health/readiness} on {@code port}. */
    public void awaitSpringBootReady(int port, Duration timeout) throws InterruptedException {
        awaitHttpOk(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"), timeout);
    }

    private static int status(URI uri) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(uri)
                                    .timeout(PROBE_TIMEOUT)
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException notListeningYet) {
            return -1;
        } catch (InterruptedException e) {
            // awaitReady's next sleep throws it.
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** A crash: SIGKILL to the process and what it forked, no chance to clean up; returns when it is gone. */
    public void kill() throws InterruptedException {
        destroyTree(process);
        if (!process.waitFor(stopGrace.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " (pid " + pid() + ") still alive after SIGKILL");
        }
        removeShutdownHook();
    }

    /** SIGTERM, then SIGKILL to the process and what it forked after the grace period; idempotent. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(stopGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                    destroyTree(process);
                    process.waitFor(stopGrace.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                destroyTree(process);
                Thread.currentThread().interrupt();
            }
        }
        removeShutdownHook();
    }

    private static void destroyTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting and runs the hook itself.
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", log " + logFile + ")";
    }
}
