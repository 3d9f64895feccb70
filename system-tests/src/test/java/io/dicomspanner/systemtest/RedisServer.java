package io.dicomspanner.systemtest;

import io.dicomspanner.testing.FreePorts;
import io.dicomspanner.testing.ServiceProcess;
import io.dicomspanner.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A private {@code redis-server} of one run on a free port, without persistence, so a test may kill it (and start it
 * again on the same port) without touching the machine's Redis. As a site would run it: over TLS only (a certificate
 * of the run's own test CA, {@link #caCertificate()}), the {@code default} user off, and the services signing in as
 * the ACL user {@value #USER} with a password of the run.
 */
final class RedisServer implements AutoCloseable {
    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);
    static final String USER = "spanner";

    private final int port;
    private final Path logFile;
    private final String password = UUID.randomUUID().toString().replace("-", "");
    private final TestPki.Issued certificate;
    private ServiceProcess process;

    private RedisServer(int port, Path logFile, TestPki.Issued certificate) {
        this.port = port;
        this.logFile = logFile;
        this.certificate = certificate;
    }

    /** A redis-server over TLS with a certificate for 127.0.0.1 of a test CA made in {@code tlsDir}. */
    static RedisServer start(Path logFile, Path tlsDir) throws IOException, InterruptedException {
        TestPki ca = TestPki.create(tlsDir, "redis");
        RedisServer redis = new RedisServer(FreePorts.one(), logFile, ca.server("redis"));
        redis.start();
        return redis;
    }

    /** The CA's certificate (PEM) the services trust for this server. */
    Path caCertificate() {
        return certificate.caCertificate();
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
                                "0",
                                "--tls-port",
                                Integer.toString(port),
                                "--tls-cert-file",
                                certificate.certificate().toString(),
                                "--tls-key-file",
                                certificate.privateKey().toString(),
                                "--tls-ca-cert-file",
                                certificate.caCertificate().toString(),
                                "--tls-auth-clients",
                                "no",
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

    /** Sockets that trust the run's CA, for the readiness check. */
    private SSLSocketFactory tlsSockets() throws IOException {
        try (InputStream in = Files.newInputStream(certificate.caCertificate())) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot trust the run's CA: " + e.getMessage(), e);
        }
    }

    /** Kills redis-server (SIGKILL): clients see connections drop and nothing listening. */
    void kill() throws InterruptedException {
        process.kill();
    }

    boolean answersPing() {
        try (Socket socket = tlsSockets().createSocket()) {
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
