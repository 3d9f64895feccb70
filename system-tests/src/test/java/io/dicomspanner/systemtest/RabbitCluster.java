package io.dicomspanner.systemtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A local 3-node RabbitMQ cluster of one run, started and stopped by {@code scripts/rabbitmq-cluster.sh} (nodes
 * {@code spanner-r1..3@localhost}, AMQP on 127.0.0.1:22672-22674, distribution on 22680-22682), beside the machine's
 * own node, which it never touches. Users and virtual hosts are cluster-wide: {@link RabbitVhost#create(String,
 * String)} on {@link #node(int) node 1} makes them for every node.
 */
final class RabbitCluster implements AutoCloseable {
    static final int BASE_PORT = 22672;
    static final int NODES = 3;
    static final long SCRIPT_TIMEOUT_SECONDS = 300;
    private static final Path SCRIPT = script();

    private RabbitCluster() {}

    /** Starts the three nodes and joins them into one cluster. */
    static RabbitCluster start() throws IOException, InterruptedException {
        RabbitCluster cluster = new RabbitCluster();
        try {
            cluster.script("start");
        } catch (IOException | RuntimeException | InterruptedException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private static Path script() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("scripts/rabbitmq-cluster.sh"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException(
                    "scripts/rabbitmq-cluster.sh not found above " + Path.of("").toAbsolutePath());
        }
        return dir.resolve("scripts/rabbitmq-cluster.sh");
    }

    /** Node {@code n} (1..3), {@code spanner-rN@localhost}, for {@code rabbitmqctl -n}. */
    static String node(int n) {
        return "spanner-r" + n + "@localhost";
    }

    /** Node {@code n}'s AMQP port on 127.0.0.1. */
    static int port(int n) {
        return BASE_PORT + n - 1;
    }

    /** {@code spring.rabbitmq.addresses} of the three nodes, node 1 first. */
    String addresses() {
        List<String> all = new ArrayList<>();
        for (int n = 1; n <= NODES; n++) {
            all.add("127.0.0.1:" + port(n));
        }
        return String.join(",", all);
    }

    /** Kills node {@code n}'s Erlang VM (SIGKILL), as a crash would. */
    void killNode(int n) throws IOException, InterruptedException {
        script("kill-node", Integer.toString(n));
    }

    /** Starts node {@code n} again on its data; it rejoins the cluster by itself. */
    void startNode(int n) throws IOException, InterruptedException {
        script("start-node", Integer.toString(n));
    }

    /** Name and type ({@code classic}, {@code quorum}) of every queue of {@code vhost}, asked on node {@code via}. */
    Map<String, String> queueTypes(int via, String vhost) throws IOException {
        Map<String, String> types = new LinkedHashMap<>();
        String listed =
                RabbitVhost.run(node(via), "list_queues", "-p", vhost, "--quiet", "--no-table-headers", "name", "type");
        for (String line : listed.split("\n")) {
            String[] fields = line.strip().split("\t");
            if (fields.length == 2) {
                types.put(fields[0], fields[1]);
            }
        }
        return types;
    }

    /** The leader node of each quorum queue of {@code vhost}, asked on node {@code via}. */
    Map<String, String> quorumLeaders(int via, String vhost) throws IOException {
        Map<String, String> leaders = new LinkedHashMap<>();
        String listed = RabbitVhost.run(
                node(via), "list_queues", "-p", vhost, "--quiet", "--no-table-headers", "name", "type", "leader");
        for (String line : listed.split("\n")) {
            String[] fields = line.strip().split("\t");
            if (fields.length == 3 && fields[1].equals("quorum")) {
                leaders.put(fields[0], fields[2]);
            }
        }
        return leaders;
    }

    /**
     * The node (1..3) a queue of {@code vhost} lives on: a classic queue's only node, or a quorum queue's leader,
     * read from the queue process's id ({@code <spanner-rN@localhost.x.y.z>}).
     */
    int nodeOf(int via, String vhost, String queue) throws IOException {
        String listed =
                RabbitVhost.run(node(via), "list_queues", "-p", vhost, "--quiet", "--no-table-headers", "name", "pid");
        for (String line : listed.split("\n")) {
            String[] fields = line.strip().split("\t");
            if (fields.length == 2 && fields[0].equals(queue)) {
                for (int n = 1; n <= NODES; n++) {
                    if (fields[1].startsWith("<" + node(n) + ".")) {
                        return n;
                    }
                }
                throw new IllegalStateException(queue + " lives on no node of the cluster: " + fields[1]);
            }
        }
        throw new IllegalStateException("no queue " + queue + " in " + vhost + ":\n" + listed);
    }

    private void script(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--base-port", Integer.toString(BASE_PORT)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish: " + out);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    /** Stops the three nodes and removes their folder. */
    @Override
    public void close() throws IOException {
        try {
            script("stop");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the RabbitMQ cluster", e);
        }
    }
}
