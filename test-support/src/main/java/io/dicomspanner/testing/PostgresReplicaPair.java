package io.dicomspanner.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A PostgreSQL primary and its streaming replica on loopback, made with Debian's cluster tools: two clusters of the
 * installed major version, named {@code spanner_ha_<hex>_primary} and {@code _replica} (unique per run), trust
 * authentication, the replica a {@code pg_basebackup -R -X stream} of the primary. Tests stop the primary and
 * promote the replica through it; {@link #close()} drops both clusters.
 *
 * <p>Cluster tools run as this user (root where the tests run); {@code pg_basebackup} runs as {@code postgres}, so
 * that the replica's data folder belongs to the server's user ({@code runuser} as root, else {@code sudo -u}).
 */
public final class PostgresReplicaPair implements AutoCloseable {

    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(2);

    private final String version;
    private final String primary;
    private final String replica;
    private final int primaryPort;
    private final int replicaPort;
    private final List<String> created = new ArrayList<>();

    private PostgresReplicaPair(String version, String name, int primaryPort, int replicaPort) {
        this.version = version;
        this.primary = name + "_primary";
        this.replica = name + "_replica";
        this.primaryPort = primaryPort;
        this.replicaPort = replicaPort;
    }

    /** A running primary on {@code primaryPort} and a replica streaming from it on {@code replicaPort}. */
    public static PostgresReplicaPair start(int primaryPort, int replicaPort) {
        String name = "spanner_ha_"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        PostgresReplicaPair pair = new PostgresReplicaPair(installedVersion(), name, primaryPort, replicaPort);
        try {
            pair.create();
        } catch (RuntimeException e) {
            pair.close();
            throw e;
        }
        return pair;
    }

    private void create() {
        tool(
                "pg_createcluster",
                version,
                primary,
                "-p",
                Integer.toString(primaryPort),
                "--start",
                "--",
                "--auth=trust");
        created.add(primary);
        try {
            Files.writeString(
                    Path.of("/etc/postgresql", version, primary, "pg_hba.conf"),
                    "\nhost replication all 127.0.0.1/32 trust\n",
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        tool("pg_ctlcluster", version, primary, "reload");
        tool("pg_createcluster", version, replica, "-p", Integer.toString(replicaPort), "--", "--auth=trust");
        created.add(replica);
        Path data = Path.of("/var/lib/postgresql", version, replica);
        emptyFolder(data);
        tool(asPostgres(
                "pg_basebackup",
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(primaryPort),
                "-U",
                "postgres",
                "-D",
                data.toString(),
                "-R",
                "-X",
                "stream"));
        tool("pg_ctlcluster", version, replica, "start");
        String recovering = sql(replicaPort, "postgres", "select pg_is_in_recovery()");
        if (!recovering.equals("t")) {
            throw new IllegalStateException("replica " + replica + " is not in recovery: " + recovering);
        }
    }

    /** A new database on the primary, which the replica receives by streaming. */
    public void createDatabase(String name) {
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        sql(primaryPort, "postgres", "create database " + name);
    }

    /** Waits until the replica has replayed everything the primary has written so far (at most {@code timeout}). */
    public void awaitReplayed(Duration timeout) {
        String target = sql(primaryPort, "postgres", "select pg_current_wal_lsn()");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String caughtUp =
                    sql(replicaPort, "postgres", "select pg_last_wal_replay_lsn() >= '" + target + "'::pg_lsn");
            if (caughtUp.equals("t")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("replica has not replayed up to " + target + " within " + timeout);
            }
            sleep(Duration.ofMillis(100));
        }
    }

    /** Stops the primary at once ({@code -m fast}): its clients are disconnected, new connections are refused. */
    public void stopPrimary() {
        tool("pg_ctlcluster", version, primary, "stop", "-m", "fast");
    }

    /** Makes the replica the primary ({@code pg_promote()}, which waits until promotion is complete). */
    public void promoteReplica() {
        String promoted = sql(replicaPort, "postgres", "select pg_promote()");
        if (!promoted.equals("t")) {
            throw new IllegalStateException("pg_promote() answered " + promoted);
        }
    }

    /** Whether the server on {@code port} is a replica (in recovery): {@code t} or {@code f}. */
    public String inRecovery(int port) {
        return sql(port, "postgres", "select pg_is_in_recovery()");
    }

    public int primaryPort() {
        return primaryPort;
    }

    public int replicaPort() {
        return replicaPort;
    }

    /** The primary's cluster name, {@code spanner_ha_<hex>_primary}. */
    public String primaryName() {
        return primary;
    }

    public String primaryUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + primaryPort + "/" + database;
    }

    public String replicaUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + replicaPort + "/" + database;
    }

    /**
     * Both servers in one URL, the driver choosing by {@code targetServerType} ({@code primary} for writers,
     * {@code preferSecondary} for readers).
     */
    public String multiHostUrl(String database, String targetServerType) {
        return "jdbc:postgresql://127.0.0.1:" + primaryPort + ",127.0.0.1:" + replicaPort + "/" + database
                + "?targetServerType=" + targetServerType;
    }

    /** Drops both clusters, stopping what runs. */
    @Override
    public void close() {
        List<String> failures = new ArrayList<>();
        for (int i = created.size() - 1; i >= 0; i--) {
            String cluster = created.get(i);
            Command dropped =
                    Command.run(Path.of("."), Map.of(), TOOL_TIMEOUT, "pg_dropcluster", version, cluster, "--stop");
            if (dropped.exitCode() != 0) {
                failures.add(dropped.output());
            }
        }
        created.clear();
        if (!failures.isEmpty()) {
            throw new IllegalStateException("pg_dropcluster failed: " + failures);
        }
    }

    /** Runs {@code sql} with psql on the server on {@code port}; the single value it prints. */
    public String sql(int port, String database, String sql) {
        return tool(
                        "psql",
                        "-h",
                        "127.0.0.1",
                        "-p",
                        Integer.toString(port),
                        "-U",
                        "postgres",
                        "-d",
                        database,
                        "-v",
                        "ON_ERROR_STOP=1",
                        "-Atc",
                        sql)
                .out()
                .strip();
    }

    /** The newest PostgreSQL major version installed ({@code /usr/lib/postgresql/<version>}). */
    static String installedVersion() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(p -> p.getFileName().toString())
                    .filter(v -> v.matches("\\d+"))
                    .max((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL under /usr/lib/postgresql"));
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL is not installed (/usr/lib/postgresql)", e);
        }
    }

    private static List<String> asPostgres(String... command) {
        List<String> line = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            line.addAll(List.of("runuser", "-u", "postgres", "--"));
        } else {
            line.addAll(List.of("sudo", "-n", "-u", "postgres"));
        }
        line.addAll(List.of(command));
        return line;
    }

    private static Command tool(String... command) {
        return tool(List.of(command));
    }

    private static Command tool(List<String> command) {
        Command done = Command.run(Path.of("/tmp"), Map.of(), TOOL_TIMEOUT, command);
        if (done.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + done.output());
        }
        return done;
    }

    private static void emptyFolder(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path entry : entries.toList()) {
                tool("rm", "-rf", entry.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
