package io.dicomspanner.systemtest;

import io.dicomspanner.testing.FreePorts;
import io.dicomspanner.testing.ServiceProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A private {@code redis-server} of one run on a free port, without persistence, so a test may kill it (and start it
 * again on the same port) without touching the machine's Redis. As a site would run it: the {@code default} user is
 * off, and the services sign in as the ACL user {@value #USER} with a password of the run.
 */
final class RedisServer implements AutoCloseable {
    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);
    static final String USER = "spanner";

    private final int port;
    private final Path logFile;
    private final String password = UUID.randomUUID().toString().replace("-", "");
    private ServiceProcess process;

    private RedisServer(int port, Path logFile) {
        this.port = port;
        this.logFile = logFile;
    }

    static RedisServer start(Path logFile) throws IOException, InterruptedException {
        RedisServer redis = new RedisServer(FreePorts.one(), logFile);
        redis.start();
        return redis;
    }

    int port() {
        return port;
    }

    /** The password of the ACL user {@value #USER}. */
    String password() {
        return password;
    }

    /** Starts redis-server (again) on this server's port and waits until it answers PING. */
    void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("redis-server is running");
        }
        process = ServiceProcess.builder(
                        "redis-server",
                        List.of(
                                "redis-server",
                                "--port",
                                Integer.toString(port),
                                "--bind",
                                "127.0.0.1",
                                "--save",
                                "",
                                "--appendonly",
                                "no",
                                "--user",
                                "default",
                                "off",
                                "--user",
                                USER,
                                "on",
                                ">" + password,
                                "~*",
                                "&*",
                                "+@all"),
                        logFile)
                .start();
        process.awaitReady("answering PING", this::answersPing, STARTUP_TIMEOUT);
    }

    /** Kills redis-server (SIGKILL): clients see connections drop and nothing listening. */
    void kill() throws InterruptedException {
        process.kill();
    }

    boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write(("AUTH " + USER + " " + password + "\r\nPING\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[12];
            int n = in.readNBytes(reply, 0, reply.length);
            return new String(reply, 0, n, StandardCharsets.US_ASCII).equals("+OK\r\n+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
