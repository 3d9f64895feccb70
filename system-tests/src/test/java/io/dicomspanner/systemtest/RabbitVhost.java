package io.dicomspanner.systemtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A RabbitMQ virtual host of one run, on the machine's broker or on a node of the run's own ({@link RabbitNode}), made
 * and removed with {@code rabbitmqctl}.
 *
 * <p>Why a virtual host: every name of the topology is fixed ({@code spanner.requests}, and the task queue
 * {@code spanner.tasks.source.<id>} takes its id from the run's own database, so two runs have a source 1 each).
 * Separate virtual hosts give each run its own exchanges and queues under the same names, exactly as the services
 * declare them in production, with nothing to rename in the services. Deleting the virtual host removes everything the
 * run declared.
 */
final class RabbitVhost implements AutoCloseable {
    static final long COMMAND_TIMEOUT_SECONDS = 60;

    /**
     * What the services may configure and read: the names of the spanner's topology ({@code spanner.*}) and nothing
     * else, on this virtual host only.
     */
    static final String SPANNER_NAMES = "^spanner\\..*";

    /** What they may write to: those, and the default exchange, by which results reach a coordinator's reply queue. */
    static final String SPANNER_NAMES_AND_DEFAULT_EXCHANGE = "^(spanner\\..*|amq\\.default)$";

    private final String node;
    private final String name;
    private final String user;
    private final String password = UUID.randomUUID().toString().replace("-", "");

    private RabbitVhost(String node, String name) {
        this.node = node;
        this.name = name;
        this.user = name + "-services";
    }

    /**
     * A virtual host and a user of its own for the run's services (not {@code guest}), allowed only the spanner's names
     * on that host; on the machine's broker.
     */
    static RabbitVhost create(String name) throws IOException {
        return create(null, name);
    }

    /** The same on the node {@code node} ({@code name@localhost}); {@code null} is the machine's broker. */
    static RabbitVhost create(String node, String name) throws IOException {
        RabbitVhost vhost = new RabbitVhost(node, name);
        vhost.rabbitmqctl("add_vhost", name);
        try {
            vhost.rabbitmqctl("add_user", vhost.user, vhost.password);
            vhost.rabbitmqctl(
                    "set_permissions",
                    "-p",
                    name,
                    vhost.user,
                    SPANNER_NAMES,
                    SPANNER_NAMES_AND_DEFAULT_EXCHANGE,
                    SPANNER_NAMES);
        } catch (IOException | RuntimeException e) {
            vhost.close();
            throw e;
        }
        return vhost;
    }

    String name() {
        return name;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    @Override
    public void close() throws IOException {
        try {
            rabbitmqctl("delete_vhost", name);
        } finally {
            deleteUser();
        }
    }

    private void deleteUser() throws IOException {
        try {
            rabbitmqctl("delete_user", user);
        } catch (IllegalStateException e) {
            if (!e.getMessage().contains("no_such_user") && !e.getMessage().contains("does not exist")) {
                throw e;
            }
        }
    }

    private String rabbitmqctl(String... args) throws IOException {
        return run(node, args);
    }

    /** {@code rabbitmqctl [-n node] args}, at most {@value #COMMAND_TIMEOUT_SECONDS} s; what it printed. */
    static String run(String node, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl"));
        if (node != null) {
            command.addAll(List.of("-n", node));
        }
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
