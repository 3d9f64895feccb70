package io.dicomspanner.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A local Redis Cluster of 6 nodes (3 masters, 3 replicas) on loopback, started and stopped with
 * {@code scripts/redis-cluster.sh}: nodes on {@code basePort .. basePort + 5} (their cluster bus
 * {@value #BUS_OFFSET} above), the default user off and the ACL user {@value #USER} with a password of the run, a
 * lowered {@code cluster-node-timeout} so that a failover takes seconds. {@link #close()} stops exactly the nodes it started.
 */
public final class RedisCluster implements AutoCloseable {

    /** The ACL user the nodes let in (the script's). */
    public static final String USER = "spanner";

    public static final int NODES = 6;

    /** A node's cluster bus port is its port + this (the script's {@code cluster-port}). */
    public static final int BUS_OFFSET = 50;

    private final Path script;
    private final Path dir;
    private final int basePort;
    private final String password;
    private final List<Integer> killed = new ArrayList<>();

    private RedisCluster(Path script, Path dir, int basePort, String password) {
        this.script = script;
        this.dir = dir;
        this.basePort = basePort;
        this.password = password;
    }

    /**
     * Starts a cluster and waits for {@code cluster_state:ok}.
     *
     * @param basePort first of six free consecutive ports (their bus ports, +{@value #BUS_OFFSET}, must be free too)
     * @param dir where the nodes keep their files and logs
     * @param nodeTimeout the nodes' {@code cluster-node-timeout}: how long a master is unreachable before its replica
     *     takes over
     */
    public static RedisCluster start(int basePort, Path dir, Duration nodeTimeout) {
        for (int port = basePort; port < basePort + NODES; port++) {
            if (!free(port) || !free(port + BUS_OFFSET)) {
                throw new IllegalStateException("port " + port + " or its cluster bus port is taken");
            }
        }
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        RedisCluster cluster = new RedisCluster(script(), dir.toAbsolutePath(), basePort, password);
        Command started;
        try {
            started = cluster.run(
                    "start", "--password", password, "--node-timeout", Long.toString(nodeTimeout.toMillis()));
        } catch (RuntimeException e) {
            // the nodes the script started before it hung are stopped all the same
            cluster.close();
            throw e;
        }
        if (started.exitCode() != 0) {
            cluster.close();
            throw new IllegalStateException("Redis Cluster did not start: " + started.out() + started.err());
        }
        return cluster;
    }

    /** {@code host:port,...} of every node, as {@code spring.data.redis.cluster.nodes} takes it. */
    public String nodes() {
        return ports().stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    public List<Integer> ports() {
        List<Integer> ports = new ArrayList<>();
        for (int port = basePort; port < basePort + NODES; port++) {
            ports.add(port);
        }
        return ports;
    }

    /** The password of the ACL user {@value #USER}. */
    public String password() {
        return password;
    }

    /** The port of the master serving this key's slot now. */
    public int masterOf(String key) {
        for (int port : live()) {
            Command slot = cli(port, "cluster", "keyslot", key);
            if (slot.exitCode() != 0) {
                continue;
            }
            int keySlot = Integer.parseInt(slot.out().trim());
            for (String line : cli(port, "cluster", "nodes").out().split("\n")) {
                String[] f = line.trim().split(" ");
                if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
                    continue;
                }
                for (int i = 8; i < f.length; i++) {
                    String[] range = f[i].split("-");
                    int from = Integer.parseInt(range[0]);
                    int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
                    if (keySlot >= from && keySlot <= to) {
                        return port(f[1]);
                    }
                }
            }
        }
        throw new IllegalStateException("no master found for " + key);
    }

    /** Stops this master ({@code shutdown nosave}); returns its port. */
    public int killMaster(int port) {
        Command kill = run("kill-master", "--password", password, "--port", Integer.toString(port));
        if (kill.exitCode() != 0) {
            throw new IllegalStateException("kill-master failed: " + kill.err());
        }
        int victim = Integer.parseInt(kill.out().trim());
        killed.add(victim);
        return victim;
    }

    /** Stops the first master found; returns its port. */
    public int killMaster() {
        Command kill = run("kill-master", "--password", password);
        if (kill.exitCode() != 0) {
            throw new IllegalStateException("kill-master failed: " + kill.err());
        }
        int victim = Integer.parseInt(kill.out().trim());
        killed.add(victim);
        return victim;
    }

    /**
     * Waits until every node still running sees three running masters, none of them a stopped one, and says
     * {@code cluster_state:ok}: the replica of a stopped master has taken over; returns how long that took.
     */
    public Duration awaitFailover(Duration atMost) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            if (failedOver()) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no failover within " + atMost + "; nodes: "
                + cli(live().get(0), "cluster", "nodes").out());
    }

    private boolean failedOver() {
        for (int port : live()) {
            Command info = cli(port, "cluster", "info");
            if (info.exitCode() != 0 || !info.out().contains("cluster_state:ok")) {
                return false;
            }
            long masters = cli(port, "cluster", "nodes")
                    .out()
                    .lines()
                    .map(line -> line.split(" "))
                    .filter(f -> f.length > 8 && f[2].contains("master") && !f[2].contains("fail"))
                    .filter(f -> !killed.contains(port(f[1])))
                    .count();
            if (masters != 3) {
                return false;
            }
        }
        return true;
    }

    /** The port of a {@code cluster nodes} address, {@code host:port@busport}. */
    private static int port(String address) {
        int colon = address.lastIndexOf(':');
        int at = address.indexOf('@', colon);
        return Integer.parseInt(address.substring(colon + 1, at < 0 ? address.length() : at));
    }

    private List<Integer> live() {
        return ports().stream().filter(p -> !killed.contains(p)).toList();
    }

    /** {@code redis-cli} as the ACL user against one node. */
    public Command cli(int port, String... args) {
        List<String> command = new ArrayList<>(List.of(
                "redis-cli", "--user", USER, "--no-auth-warning", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        return Command.run(Path.of("."), Map.of("REDISCLI_AUTH", password), Duration.ofSeconds(10), command);
    }

    @Override
    public void close() {
        Command stopped = run("stop");
        if (stopped.exitCode() != 0) {
            throw new IllegalStateException("Redis Cluster did not stop: " + stopped.err());
        }
    }

    private Command run(String action, String... options) {
        List<String> command = new ArrayList<>(List.of(
                "bash", script.toString(), action, "--base-port", Integer.toString(basePort), "--dir", dir.toString()));
        command.addAll(List.of(options));
        return Command.run(Path.of("."), Map.of(), Duration.ofMinutes(1), command);
    }

    /** {@code scripts/redis-cluster.sh} of the checkout the test runs in (a module directory or the root). */
    private static Path script() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("scripts/redis-cluster.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException(
                "scripts/redis-cluster.sh not found above " + Path.of("").toAbsolutePath());
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // as redis-server binds: a connection in TIME_WAIT does not keep it from listening
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
