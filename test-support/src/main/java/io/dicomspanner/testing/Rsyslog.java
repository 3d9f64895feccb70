package io.dicomspanner.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Debian's rsyslogd as a real syslog receiver for tests: its own configuration file in the test's folder (imtcp on one
 * loopback port, plain or TLS through the OpenSSL netstream driver), every message written to a file as one line of
 * tab-separated fields (PRI, APP-NAME, PROCID, MSGID, STRUCTURED-DATA, HOSTNAME, TIMESTAMP, MSG). No system
 * configuration is read or touched.
 */
public final class Rsyslog implements AutoCloseable {

    /** One received message, as rsyslog parsed it. */
    public record Received(
            String pri,
            String appName,
            String procId,
            String msgId,
            String structuredData,
            String hostName,
            String timestamp,
            String msg) {}

    private final ServiceProcess process;
    private final Path output;

    private Rsyslog(ServiceProcess process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** rsyslogd receiving plain TCP (RFC 6587) on {@code port}. */
    public static Rsyslog tcp(Path dir, int port) throws IOException, InterruptedException {
        return start(dir, port, "", "");
    }

    /** rsyslogd receiving TLS (RFC 5425) on {@code port} with {@code server}'s certificate, clients anonymous. */
    public static Rsyslog tls(Path dir, int port, TestPki.Issued server) throws IOException, InterruptedException {
        String global = " defaultNetstreamDriverCAFile=\"" + server.caCertificate() + "\""
                + " defaultNetstreamDriverCertFile=\"" + server.certificate() + "\""
                + " defaultNetstreamDriverKeyFile=\"" + server.privateKey() + "\"";
        String module = " streamDriver.name=\"ossl\" streamDriver.mode=\"1\" streamDriver.authMode=\"anon\"";
        return start(dir, port, global, module);
    }

    private static Rsyslog start(Path dir, int port, String global, String module)
            throws IOException, InterruptedException {
        Path work = Files.createDirectories(dir.resolve("rsyslog-" + port));
        Path output = work.resolve("received.log");
        Path conf = work.resolve("rsyslog.conf");
        Files.writeString(
                conf,
                "global(workDirectory=\"" + work + "\" maxMessageSize=\"64k\"" + global + ")\n"
                        + "module(load=\"imtcp\"" + module + ")\n"
                        + "template(name=\"fields\" type=\"string\" string=\"%pri%\\t%app-name%\\t%procid%\\t%msgid%"
                        + "\\t%structured-data%\\t%hostname%\\t%timereported:::date-rfc3339%\\t%msg%\\n\")\n"
                        + "input(type=\"imtcp\" port=\"" + port + "\" address=\"127.0.0.1\")\n"
                        + "action(type=\"omfile\" file=\"" + output + "\" template=\"fields\")\n",
                StandardCharsets.US_ASCII);
        ServiceProcess process = ServiceProcess.builder(
                        "rsyslogd",
                        List.of(
                                "rsyslogd",
                                "-n",
                                "-f",
                                conf.toString(),
                                "-i",
                                work.resolve("rsyslogd.pid").toString()),
                        work.resolve("rsyslogd.out"))
                .stopGrace(Duration.ofSeconds(5))
                .start();
        process.awaitReady(
                "rsyslogd on port " + port, () -> ServiceProcess.acceptsConnections(port), Duration.ofSeconds(20));
        return new Rsyslog(process, output);
    }

    /** The XML of a received audit message: without its BOM, with rsyslog's escaped line feeds ({@code #012}) restored. */
    public static String xml(Received message) {
        String msg = message.msg();
        return (msg.startsWith("\uFEFF") ? msg.substring(1) : msg).replace("#012", "\n");
    }

    /** The messages received so far, waiting up to {@code timeout} for at least {@code count}. */
    public List<Received> awaitReceived(int count, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Received> received = received();
        while (received.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
            received = received();
        }
        return received;
    }

    public List<Received> received() throws IOException {
        if (!Files.exists(output)) {
            return List.of();
        }
        return Files.readAllLines(output, StandardCharsets.UTF_8).stream()
                .map(line -> line.split("\t", 8))
                .map(f -> new Received(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]))
                .toList();
    }

    public String log() {
        return process.log();
    }

    @Override
    public void close() {
        process.close();
    }
}
