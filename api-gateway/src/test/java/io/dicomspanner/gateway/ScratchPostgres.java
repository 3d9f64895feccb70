package io.dicomspanner.gateway;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL cluster of one test's own ({@code pg_createcluster}, trust authentication, a free port), which the test
 * may stop and start at will: the machine's own PostgreSQL serves every other test and must stay up.
 */
public final class ScratchPostgres implements AutoCloseable {

    private static final String VERSION = "15";

    private final String name;
    private final int port;

    private ScratchPostgres(String name, int port) {
        this.name = name;
        this.port = port;
    }

    /** Creates and starts a cluster named after the prefix and this JVM. */
    public static ScratchPostgres create(String prefix) {
        ScratchPostgres cluster =
                new ScratchPostgres(prefix + "_" + ProcessHandle.current().pid(), freePort());
        run(
                "pg_createcluster",
                VERSION,
                cluster.name,
                "-p",
                String.valueOf(cluster.port),
                "--start",
                "--",
                "--auth=trust");
        return cluster;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public void stop() {
        run("pg_ctlcluster", VERSION, name, "stop", "-m", "fast");
    }

    public void start() {
        run("pg_ctlcluster", VERSION, name, "start");
    }

    @Override
    public void close() {
        run("pg_dropcluster", VERSION, name, "--stop");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port", e);
        }
    }

    private static void run(String... command) {
        List<String> line = new ArrayList<>(List.of(command));
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", line) + " did not finish in 120 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        String.join(" ", line) + " failed (" + process.exitValue() + "): " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", line) + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", line) + " interrupted", e);
        }
    }
}
