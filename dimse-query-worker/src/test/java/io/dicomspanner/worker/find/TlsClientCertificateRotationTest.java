package io.dicomspanner.worker.find;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceHealth;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.net.TlsSettings;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.testing.TestPki;
import io.dicomspanner.worker.health.HealthChecker;
import io.dicomspanner.worker.testing.TestPacs;
import io.dicomspanner.worker.testing.WorkerTestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A renewed client certificate applies without a restart: the {@code dicom-client} bundle's files are replaced by a
 * certificate of another authority, and the next association presents it. The PACS accepts client certificates of
 * that other authority only, so the source is down before the renewal and up after it.
 */
class TlsClientCertificateRotationTest extends WorkerTestSupport {
    static final Path DIR = tempDir();
    static final Path CERTIFICATE = DIR.resolve("worker.pem");
    static final Path KEY = DIR.resolve("worker-key.pem");
    static final TestPki OLD = pki("old");
    static final TestPki NEW = pki("new");

    static {
        TestPki.Issued first = issue(OLD, "spanner-worker");
        copy(first.certificate(), CERTIFICATE);
        copy(first.privateKey(), KEY);
    }

    @DynamicPropertySource
    static void clientBundle(DynamicPropertyRegistry registry) {
        registry.add("spring.ssl.bundle.watch.file.quiet-period", () -> "200ms");
        String bundle = "spring.ssl.bundle.pem.dicom-client.";
        registry.add(bundle + "reload-on-update", () -> true);
        registry.add(bundle + "keystore.certificate", () -> "file:" + CERTIFICATE);
        registry.add(bundle + "keystore.private-key", () -> "file:" + KEY);
        registry.add(bundle + "truststore.certificate", () -> "file:" + OLD.caCertificate());
    }

    @Autowired
    HealthChecker health;

    final ListAppender<ILoggingEvent> tlsLog = new ListAppender<>();

    @BeforeEach
    void watchTheLog() {
        tlsLog.start();
        ((Logger) LoggerFactory.getLogger(DicomClientTls.class)).addAppender(tlsLog);
    }

    @AfterEach
    void stopWatching() {
        ((Logger) LoggerFactory.getLogger(DicomClientTls.class)).detachAppender(tlsLog);
    }

    @Test
    void aRenewedClientCertificateIsPresentedToTheNextAssociationWithoutARestart() throws Exception {
        // the PACS: a certificate of the old authority (which the worker trusts), client certificates of the new one
        TestPki.Issued pacsCertificate = issue(OLD, "pacs");
        TlsSettings tls = TlsSettings.fromPem(pacsCertificate.certificate(), pacsCertificate.privateKey())
                .withTrustedCertificates(NEW.caCertificate())
                .withClientAuthRequired(true);
        try (TestPacs pacs = new TestPacs(Set.copyOf(SopClasses.QUERY_FIND), true, tls)) {
            SourceEndpoint source = new SourceEndpoint(
                    newSourceId(),
                    "rotating tls source",
                    "TESTPACS",
                    "localhost",
                    pacs.port(),
                    "SPANNER",
                    true,
                    true,
                    4,
                    30,
                    List.of(InformationModel.STUDY_ROOT),
                    true,
                    List.of());

            SourceHealth before = health.check(source).join();
            assertThat(before.state()).isEqualTo(SourceHealth.State.DOWN);
            assertThat(before.error()).startsWith("TLS handshake failed");

            TestPki.Issued renewed = issue(NEW, "spanner-worker");
            move(renewed.privateKey(), KEY);
            move(renewed.certificate(), CERTIFICATE);
            // Spring's file watcher reports the change after its quiet period; the worker logs the reload.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (reloads() == 0 && System.nanoTime() < until) {
                Thread.sleep(50);
            }

            assertThat(reloads()).isEqualTo(1);
            SourceHealth after = health.check(source).join();
            assertThat(after.state()).as(after.error()).isEqualTo(SourceHealth.State.UP);
            assertThat(after.error()).isNull();
        }
    }

    private long reloads() {
        return tlsLog.list.stream()
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.equals("TLS client bundle 'dicom-client' reloaded: new connections to sources use it"))
                .count();
    }

    /** Replaces {@code target} in one step, as an operator's {@code mv} does. */
    private static void move(Path from, Path target) throws IOException {
        Path staged = DIR.resolve("staged-" + target.getFileName());
        Files.copy(from, staged, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("worker-rotation-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TestPki pki(String name) {
        try {
            return TestPki.create(DIR.resolve(name), name);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TestPki.Issued issue(TestPki pki, String commonName) {
        try {
            return commonName.equals("pacs") ? pki.server(commonName) : pki.client(commonName);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copy(Path from, Path to) {
        try {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
