package io.dicomspanner.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command line (curl, openssl, haproxy, docker-compose, promtool, ...) to its end and keeps what it printed:
 * how tests check a service as an operator's tools see it. Its standard input is closed at once.
 */
public record Command(int exitCode, String out, String err) {

    /** In the current directory, with this process's environment, for at most a minute. */
    public static Command run(String... command) {
        return run(List.of(command));
    }

    /** In the current directory, with this process's environment, for at most a minute. */
    public static Command run(List<String> command) {
        return run(Path.of("."), Map.of(), Duration.ofMinutes(1), command);
    }

    public static Command run(Path dir, Map<String, String> env, Duration timeout, String... command) {
        return run(dir, env, timeout, List.of(command));
    }

    public static Command run(Path dir, Map<String, String> env, Duration timeout, List<String> command) {
        try {
            Path out = Files.createTempFile("ops-cmd", ".out");
            Path err = Files.createTempFile("ops-cmd", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile());
                builder.environment().putAll(env);
                Process process = builder.start();
                process.getOutputStream().close();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(command + " still running after " + timeout);
                }
                return new Command(
                        process.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** For assertion messages. */
    public String output() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
}
