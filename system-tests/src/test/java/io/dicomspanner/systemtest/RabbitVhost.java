package io.dicomspanner.systemtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A RabbitMQ virtual host of one run on the machine's broker, made and removed with {@code rabbitmqctl}.
 *
 * <p>Why a virtual host: every name of the topology is fixed ({@code spanner.requests}, and the task queue
 * {@code spanner.tasks.source.<id>} takes its id from the run's own database, so two runs have a source 1 each).
 * Separate virtual hosts give each run its own exchanges and queues under the same names, exactly as the services
 * declare them in production, with nothing to rename in the services. Deleting the virtual host removes everything the
 * run declared.
 */
final class RabbitVhost implements AutoCloseable {
    static final String USER = "guest";
    static final long COMMAND_TIMEOUT_SECONDS = 60;

    private final String name;

    private RabbitVhost(String name) {
        this.name = name;
    }

    static RabbitVhost create(String name) throws IOException {
        rabbitmqctl("add_vhost", name);
        RabbitVhost vhost = new RabbitVhost(name);
        try {
            rabbitmqctl("set_permissions", "-p", name, USER, ".*", ".*", ".*");
        } catch (IOException | RuntimeException e) {
            vhost.close();
            throw e;
        }
        return vhost;
    }

    String name() {
        return name;
    }

    @Override
    public void close() throws IOException {
        rabbitmqctl("delete_vhost", name);
    }

    private static String rabbitmqctl(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(
                        String.join(" ", command) + " did not end in " + COMMAND_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(
                    String.join(" ", command) + " failed with exit code " + p.exitValue() + ":\n" + text);
        }
        return text;
    }
}
