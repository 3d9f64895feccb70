package io.dicomspanner.systemtest;

import io.dicomspanner.testing.FreePorts;
import io.dicomspanner.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A RabbitMQ node of one run beside the machine's ({@code rabbit@localhost}), reachable only over TLS: its one AMQP
 * listener is {@code amqps} on a free loopback port, TLS 1.3 only, with a server certificate of the run's own test CA
 * ({@link #caCertificate()}). The machine's broker is never reconfigured; this node shares only epmd and the Erlang
 * cookie with it (both run as the {@code rabbitmq} user, which is why its folder lives under {@code /tmp}, owned by
 * that user, and is removed when the node stops).
 */
final class RabbitNode implements AutoCloseable {
    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    /** One AMQP connection as the node lists it. */
    record Connection(String user, boolean tls, String protocol) {}

    private final String node;
    private final int port;
    private final Path dir;
    private final Path caCertificate;

    private RabbitNode(String node, int port, Path dir, Path caCertificate) {
        this.node = node;
        this.port = port;
        this.dir = dir;
        this.caCertificate = caCertificate;
    }

    /**
     * Starts node {@code <name>@localhost} with an {@code amqps} listener only, its certificate issued by a CA made in
     * {@code tlsDir}, and waits until it runs.
     */
    static RabbitNode startOverTls(String name, Path tlsDir) throws IOException, InterruptedException {
        TestPki ca = TestPki.create(tlsDir, "amqp");
        TestPki.Issued certificate = ca.server("rabbitmq");
        Path dir = Files.createTempDirectory("spanner-rabbit-");
        // the node reads its certificate as the rabbitmq user: copies in its own folder
        Files.copy(certificate.certificate(), dir.resolve("server.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(certificate.privateKey(), dir.resolve("server-key.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(certificate.caCertificate(), dir.resolve("ca.pem"), StandardCopyOption.REPLACE_EXISTING);
        int port = FreePorts.one();
        Files.writeString(
                dir.resolve("node.conf"),
                String.join(
                        "\n",
                        "listeners.tcp = none",
                        "listeners.ssl.1 = 127.0.0.1:" + port,
                        "ssl_options.cacertfile = " + dir.resolve("ca.pem"),
                        "ssl_options.certfile = " + dir.resolve("server.pem"),
                        "ssl_options.keyfile = " + dir.resolve("server-key.pem"),
                        "ssl_options.versions.1 = tlsv1.3",
                        "ssl_options.verify = verify_none",
                        "ssl_options.fail_if_no_peer_cert = false",
                        "loopback_users = none",
                        ""));
        Files.writeString(dir.resolve("plugins"), "[].\n");
        Files.createDirectories(dir.resolve("mnesia"));
        Files.createDirectories(dir.resolve("log"));
        chownToRabbitmq(dir);
        RabbitNode rabbit = new RabbitNode(name + "@localhost", port, dir, certificate.caCertificate());
        try {
            rabbit.start();
        } catch (IOException | RuntimeException | InterruptedException e) {
            rabbit.close();
            throw e;
        }
        return rabbit;
    }

    private static void chownToRabbitmq(Path dir) throws IOException, InterruptedException {
        Process chown = new ProcessBuilder("chown", "-R", "rabbitmq:rabbitmq", dir.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(chown.getInputStream().readAllBytes());
        if (!chown.waitFor(30, TimeUnit.SECONDS) || chown.exitValue() != 0) {
            throw new IllegalStateException("cannot give " + dir + " to the rabbitmq user: " + out);
        }
    }

    private void start() throws IOException, InterruptedException {
        ProcessBuilder server = new ProcessBuilder("rabbitmq-server", "-detached").redirectErrorStream(true);
        Map<String, String> env = server.environment();
        env.put("RABBITMQ_NODENAME", node);
        env.put("RABBITMQ_NODE_PORT", Integer.toString(port));
        env.put("RABBITMQ_DIST_PORT", Integer.toString(FreePorts.one()));
        env.put("RABBITMQ_CONFIG_FILE", dir.resolve("node").toString());
        env.put("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString());
        env.put("RABBITMQ_LOG_BASE", dir.resolve("log").toString());
        env.put("RABBITMQ_PID_FILE", dir.resolve("node.pid").toString());
        env.put("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("plugins").toString());
        Process detaching = server.start();
        String printed = new String(detaching.getInputStream().readAllBytes());
        if (!detaching.waitFor(60, TimeUnit.SECONDS) || detaching.exitValue() != 0) {
            throw new IllegalStateException("rabbitmq-server -detached failed: " + printed);
        }
        // -detached returns before the node has registered; await_startup fails until it has
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (true) {
            try {
                RabbitVhost.run(node, "await_startup", "--timeout", "30");
                return;
            } catch (IllegalStateException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "RabbitMQ node " + node + " did not start in " + STARTUP_TIMEOUT + "; log:\n" + logTail(),
                            e);
                }
                Thread.sleep(1000);
            }
        }
    }

    private String logTail() {
        try (var files = Files.list(dir.resolve("log"))) {
            StringBuilder tail = new StringBuilder();
            for (Path log : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                List<String> lines = Files.readAllLines(log);
                tail.append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            }
            return tail.toString();
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The node name, {@code name@localhost}, for {@code rabbitmqctl -n}. */
    String node() {
        return node;
    }

    /** The amqps port on 127.0.0.1. */
    int port() {
        return port;
    }

    /** The CA's certificate (PEM) the services trust for this node. */
    Path caCertificate() {
        return caCertificate;
    }

    /** The AMQP connections open on the node now. */
    List<Connection> connections() throws IOException {
        List<Connection> connections = new ArrayList<>();
        String listed = RabbitVhost.run(
                node, "list_connections", "--quiet", "--no-table-headers", "user", "ssl", "ssl_protocol");
        for (String line : listed.split("\n")) {
            String[] fields = line.strip().split("\t");
            if (fields.length == 3) {
                connections.add(new Connection(fields[0], Boolean.parseBoolean(fields[1]), fields[2]));
            }
        }
        return connections;
    }

    /** Stops the node (and its Erlang VM), then removes its folder. */
    @Override
    public void close() throws IOException {
        try {
            RabbitVhost.run(node, "stop", "--timeout", Long.toString(STOP_TIMEOUT.toSeconds()));
        } catch (IllegalStateException e) {
            // not running (failed start): nothing to stop; anything else is worth knowing
            if (!e.getMessage().contains("not running") && !e.getMessage().contains("nodedown")) {
                throw e;
            }
        } finally {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
