package io.dicomspanner.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command line (curl, openssl, ss) run to its end, at most 60 s, with what it printed: the tests' way of checking
 * the gateway as a user's tools see it.
 */
public record CommandRun(int exitCode, String out, String err) {

    public static CommandRun of(String... command) {
        return of(List.of(command), "");
    }

    /** Runs {@code command} with {@code input} on its standard input. */
    public static CommandRun of(List<String> command, String input) {
        try {
            Path out = Files.createTempFile("gateway-cmd", ".out");
            Path err = Files.createTempFile("gateway-cmd", ".err");
            try {
                Process process = new ProcessBuilder(command)
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
                process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
                process.getOutputStream().close();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(command + " did not end within 60 s");
                }
                return new CommandRun(
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
