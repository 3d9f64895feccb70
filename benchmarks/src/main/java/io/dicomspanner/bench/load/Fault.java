package io.dicomspanner.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Something done to the running system at a set time of the measured run ({@code --fault S=COMMAND}): a shell
 * command such as stopping a RabbitMQ node or a Redis master, to see what clients get while it is away and how long
 * the system takes to recover.
 *
 * @param at offset from the start of the measured time
 * @param command run with {@code sh -c}
 */
record Fault(Duration at, String command) {
    /** A fault command may take this long (stopping a node waits for it); then it is ended and reported as such. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);

    /** What happened when it ran: when (epoch milliseconds, start and end), its exit code and its output's last line. */
    record Outcome(Fault fault, long startedEpochMillis, long endedEpochMillis, int exitCode, String lastLine) {}

    /** Parses {@code S=COMMAND}. */
    static Fault parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) {
            throw new IllegalArgumentException("--fault wants SECONDS=COMMAND, not " + spec);
        }
        long seconds = Long.parseLong(spec.substring(0, eq).strip());
        if (seconds < 0) {
            throw new IllegalArgumentException("--fault time must not be negative, was " + seconds);
        }
        return new Fault(Duration.ofSeconds(seconds), spec.substring(eq + 1));
    }

    Outcome run() {
        long started = System.currentTimeMillis();
        try {
            Process p = new ProcessBuilder("sh", "-c", command)
                    .redirectErrorStream(true)
                    .start();
            boolean ended = p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                p.destroyForcibly();
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            String last = out.isEmpty() ? "" : out.substring(out.lastIndexOf('\n') + 1);
            return new Outcome(
                    this, started, System.currentTimeMillis(), ended ? p.exitValue() : -1, ended ? last : "timed out");
        } catch (IOException e) {
            return new Outcome(this, started, System.currentTimeMillis(), -1, "not started: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(this, started, System.currentTimeMillis(), -1, "interrupted");
        }
    }
}
