package io.dicomspanner.common.atna;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.testing.FreePorts;
import io.dicomspanner.testing.Rsyslog;
import io.dicomspanner.testing.TestPki;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Audit messages sent to a real rsyslogd (Debian's), over plain TCP and over TLS. */
class SyslogAuditExportRsyslogTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:15:30.123Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final ReportingApplication LISTENER = new ReportingApplication(
            "dimse-scp-listener", "4242", "spanner-1", new AuditSource("spanner-listener", "HOSPITAL-A", "4"));
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void overTcpEachMessageArrivesAsOneRecordWithItsHeaderAndSchemaValidXml() throws Exception {
        int port = FreePorts.one();
        try (Rsyslog rsyslog = Rsyslog.tcp(dir, port)) {
            SyslogAuditExport export = export(port, null);
            AuditMessage query = AuditMessages.query(
                    LISTENER,
                    NOW,
                    EventOutcome.SUCCESS,
                    "MODALITY1",
                    "127.0.0.1",
                    "1.2.840.10008.5.1.4.1.2.2.1",
                    "config=1&level=STUDY&PatientID=phi1:P6zvwl7FbbNBep7uIXH53w");
            // A line feed inside a message: one record only if the frame is counted in octets, two if split at LF.
            AuditMessage refused = AuditMessages.userAuthentication(
                    LISTENER,
                    NOW,
                    AuditCode.LOGIN,
                    EventOutcome.MINOR_FAILURE,
                    "api-key:unknown",
                    "127.0.0.1",
                    "unknown or revoked API key\nfrom a test");

            export.start();
            export.send(query);
            export.send(refused);
            export.stop();

            List<Rsyslog.Received> received = rsyslog.awaitReceived(4, WAIT);
            assertThat(received).as(rsyslog.log()).hasSize(4);
            assertThat(received)
                    .extracting(Rsyslog.Received::pri)
                    .containsExactly("85", "85", "84", "85"); // authpriv.notice, authpriv.warning for the failure
            for (Rsyslog.Received message : received) {
                assertThat(message.appName()).isEqualTo("dimse-scp-listener");
                assertThat(message.procId()).isEqualTo("4242");
                assertThat(message.msgId()).isEqualTo("IHE+RFC-3881");
                assertThat(message.structuredData()).isEqualTo("-");
                assertThat(message.hostName()).isEqualTo("spanner-1");
                assertThat(message.timestamp()).isEqualTo("2026-12-06T10:15:30.123Z");
                assertThat(message.msg()).startsWith("\uFEFF<?xml");
                AuditSchema.validate(xml(message).getBytes(StandardCharsets.UTF_8));
            }
            assertThat(xml(received.get(0)))
                    .isEqualTo(AuditMessageWriter.toXmlString(
                            AuditMessages.applicationActivity(LISTENER, NOW, AuditCode.APPLICATION_START)));
            assertThat(xml(received.get(1))).isEqualTo(AuditMessageWriter.toXmlString(query));
            assertThat(xml(received.get(2))).isEqualTo(AuditMessageWriter.toXmlString(refused));
            assertThat(xml(received.get(3)))
                    .isEqualTo(AuditMessageWriter.toXmlString(
                            AuditMessages.applicationActivity(LISTENER, NOW, AuditCode.APPLICATION_STOP)));
            assertThat(meters.get("spanner.audit.atna.messages")
                            .tag("result", "sent")
                            .counter()
                            .count())
                    .isEqualTo(4.0);
        }
    }

    @Test
    void overTlsTheReceiverTrustedThroughItsCaGetsTheMessages() throws Exception {
        TestPki pki = TestPki.create(dir.resolve("pki"), "arr");
        int port = FreePorts.one();
        try (Rsyslog rsyslog = Rsyslog.tls(dir, port, pki.server("localhost"))) {
            SyslogAuditExport export = export(port, trusting(pki.caCertificate()));
            AuditMessage alert = AuditMessages.securityAlert(
                    LISTENER,
                    NOW,
                    AuditCode.NODE_AUTHENTICATION,
                    EventOutcome.MINOR_FAILURE,
                    "TLS handshake refused: unknown_ca",
                    "10.9.8.7",
                    "10.9.8.7",
                    null);

            export.start();
            export.send(alert);
            export.stop();

            List<Rsyslog.Received> received = rsyslog.awaitReceived(3, WAIT);
            assertThat(received).as(rsyslog.log()).hasSize(3);
            assertThat(received.get(1).pri()).isEqualTo("84");
            assertThat(xml(received.get(1))).isEqualTo(AuditMessageWriter.toXmlString(alert));
            AuditSchema.validate(xml(received.get(1)).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aReceiverWhoseCertificateIsNotTrustedGetsNothingAndWhatWasQueuedIsCountedUnsent() throws Exception {
        TestPki ours = TestPki.create(dir.resolve("ours"), "ours");
        TestPki theirs = TestPki.create(dir.resolve("theirs"), "theirs");
        int port = FreePorts.one();
        try (Rsyslog rsyslog = Rsyslog.tls(dir, port, theirs.server("localhost"))) {
            SyslogAuditExport export = export(port, trusting(ours.caCertificate()));

            export.start();
            Thread.sleep(1500); // a handshake or two refused
            export.stop();

            assertThat(rsyslog.received()).isEmpty();
            assertThat(meters.get("spanner.audit.atna.connection.failures")
                            .counter()
                            .count())
                    .isGreaterThanOrEqualTo(1.0);
            assertThat(meters.get("spanner.audit.atna.messages")
                            .tag("result", "unsent")
                            .counter()
                            .count())
                    .isEqualTo(2.0); // Application Start and Stop
            assertThat(meters.get("spanner.audit.atna.messages")
                            .tag("result", "sent")
                            .counter()
                            .count())
                    .isZero();
        }
    }

    @Test
    void aMessageQueuedWhileTheReceiverIsDownIsSentOnceItIsBack() throws Exception {
        int port = FreePorts.one();
        SyslogAuditExport export = export(port, null);
        AuditMessage first = AuditMessages.query(
                LISTENER, NOW, EventOutcome.SUCCESS, "FIRST", null, AuditMessages.STUDY_ROOT_FIND, "config=1");
        AuditMessage second = AuditMessages.query(
                LISTENER, NOW, EventOutcome.SUCCESS, "SECOND", null, AuditMessages.STUDY_ROOT_FIND, "config=2");
        try (Rsyslog rsyslog = Rsyslog.tcp(dir.resolve("before"), port)) {
            export.start();
            export.send(first);
            assertThat(rsyslog.awaitReceived(2, WAIT)).hasSize(2);
        }
        export.send(second); // the receiver is gone: kept in the queue, retried with backoff
        Thread.sleep(500);
        assertThat(export.backlog()).isEqualTo(1);
        try (Rsyslog rsyslog = Rsyslog.tcp(dir.resolve("after"), port)) {
            List<Rsyslog.Received> received = rsyslog.awaitReceived(1, WAIT);
            assertThat(received).as(rsyslog.log()).hasSize(1);
            assertThat(xml(received.get(0))).isEqualTo(AuditMessageWriter.toXmlString(second));
            export.stop();
            assertThat(rsyslog.awaitReceived(2, WAIT)).hasSize(2);
        }
        assertThat(meters.get("spanner.audit.atna.messages")
                        .tag("result", "sent")
                        .counter()
                        .count())
                .isEqualTo(4.0);
    }

    @Test
    void aFullQueueRefusesTheMessageCountsItAndNeverBlocks() {
        int port = FreePorts.one(); // nobody listens
        SyslogSender sender = new SyslogSender(
                new SyslogSender.Target("127.0.0.1", port, null, Duration.ofSeconds(1)),
                new SyslogSender.Backoff(Duration.ofSeconds(10), Duration.ofSeconds(10)),
                2,
                meters);

        assertThat(sender.offer(new byte[] {1})).isTrue();
        assertThat(sender.offer(new byte[] {2})).isTrue();
        long started = System.nanoTime();
        assertThat(sender.offer(new byte[] {3})).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(100));
        sender.close(Duration.ofMillis(100));

        assertThat(meters.get("spanner.audit.atna.messages")
                        .tag("result", "dropped")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThat(meters.get("spanner.audit.atna.messages")
                        .tag("result", "unsent")
                        .counter()
                        .count())
                .isEqualTo(2.0);
        assertThat(sender.offer(new byte[] {4})).isFalse(); // closed
    }

    private SyslogAuditExport export(int port, SSLContext tls) {
        SyslogSender sender = new SyslogSender(
                new SyslogSender.Target("localhost", port, tls, Duration.ofSeconds(2)),
                new SyslogSender.Backoff(Duration.ofMillis(100), Duration.ofMillis(400)),
                100,
                meters);
        return new SyslogAuditExport(LISTENER, sender, 10, Duration.ofSeconds(10), CLOCK);
    }

    private static String xml(Rsyslog.Received message) {
        return Rsyslog.xml(message);
    }

    private static SSLContext trusting(Path caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            trust.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
