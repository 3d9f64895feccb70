package io.dicomspanner.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dicomspanner.dicom.interop.Echoscu;
import io.dicomspanner.listener.aetitle.ScpConfigs;
import io.dicomspanner.listener.server.DimseServer;
import io.dicomspanner.listener.testing.SpanningDatabase;
import io.dicomspanner.schema.testing.TestDatabase;
import io.dicomspanner.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A renewed certificate of the TLS port applies without a restart: the bundle's files are replaced by ones of another
 * authority, and the next association gets the new certificate (an SCU that trusts only the old authority is refused,
 * one that trusts the new one associates). Nothing is spanned: C-ECHO is enough.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
class TlsCertificateRotationTest {

    static final TestDatabase DB = TestDatabase.create("spanner_listener");
    static final String AE = "SPAN_ROTATE";
    static final Path DIR = tempDir();
    static final Path CERTIFICATE = DIR.resolve("listener.pem");
    static final Path KEY = DIR.resolve("listener-key.pem");
    static final TestPki OLD = pki("old");
    static final TestPki NEW = pki("new");
    static final TestPki.Issued CLIENT = issue(OLD, false, "modality-1");

    static {
        TestPki.Issued first = issue(OLD, true, "listener");
        copy(first.certificate(), CERTIFICATE);
        copy(first.privateKey(), KEY);
    }

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DB::url);
        registry.add("spanner.listener.dicom.bind-address", () -> "127.0.0.1");
        registry.add("spanner.listener.dicom.plain-port-enabled", () -> false);
        registry.add("spanner.listener.tls.mode", () -> "on");
        registry.add("spanner.listener.tls.port", () -> 0);
        registry.add("spanner.listener.config-refresh", () -> "1h");
        registry.add("spring.ssl.bundle.watch.file.quiet-period", () -> "200ms");
        String bundle = "spring.ssl.bundle.pem.dicom-server.";
        registry.add(bundle + "reload-on-update", () -> true);
        registry.add(bundle + "keystore.certificate", () -> "file:" + CERTIFICATE);
        registry.add(bundle + "keystore.private-key", () -> "file:" + KEY);
        registry.add(bundle + "truststore.certificate", () -> "file:" + OLD.caCertificate());
    }

    @Autowired
    DimseServer server;

    @Autowired
    ScpConfigs configs;

    final ListAppender<ILoggingEvent> serverLog = new ListAppender<>();

    @BeforeAll
    void config() {
        SpanningDatabase db = new SpanningDatabase(DB);
        long source = db.source("NEVER-ASKED-ROTATE", "NEVER_ASKED", 11112, true);
        db.config(AE, true, List.of(), "first_wins", List.of(source));
        configs.refresh();
        serverLog.start();
        ((Logger) LoggerFactory.getLogger(DimseServer.class)).addAppender(serverLog);
    }

    @AfterAll
    void dropDatabase() {
        ((Logger) LoggerFactory.getLogger(DimseServer.class)).detachAppender(serverLog);
        DB.close();
    }

    @Test
    void aRenewedCertificateIsServedToTheNextAssociationWithoutARestartAndThePlainPortIsClosed() throws Exception {
        assertThat(echo(OLD.caCertificate()).succeeded()).isTrue();
        assertThat(echo(NEW.caCertificate()).succeeded()).isFalse();
        assertThatThrownBy(server::port).hasMessage("the plain DICOM port is not open");

        TestPki.Issued renewed = issue(NEW, true, "listener");
        Path staged = DIR.resolve("staged-key.pem");
        copy(renewed.privateKey(), staged);
        Files.move(staged, KEY, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        copy(renewed.certificate(), DIR.resolve("staged.pem"));
        Files.move(
                DIR.resolve("staged.pem"),
                CERTIFICATE,
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        // Spring's file watcher reports the change after its quiet period; the listener logs the reload.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (reloads() == 0 && System.nanoTime() < until) {
            Thread.sleep(50);
        }

        assertThat(reloads()).isEqualTo(1);
        Echoscu.Result trustingNew = echo(NEW.caCertificate());
        assertThat(trustingNew.succeeded()).as(trustingNew.log()).isTrue();
        assertThat(echo(OLD.caCertificate()).succeeded()).isFalse();
    }

    private long reloads() {
        return serverLog.list.stream()
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.equals("DICOM TLS port " + server.tlsPort() + ": SSL bundle 'dicom-server' reloaded"))
                .count();
    }

    private Echoscu.Result echo(Path trustedCa) throws Exception {
        return Echoscu.to("127.0.0.1", server.tlsPort(), AE)
                .callingAe("MODALITY_1")
                .options(
                        "+tls",
                        CLIENT.privateKey().toString(),
                        CLIENT.certificate().toString(),
                        "+cf",
                        trustedCa.toString())
                .run();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("listener-rotation-");
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

    private static TestPki.Issued issue(TestPki pki, boolean server, String commonName) {
        try {
            return server ? pki.server(commonName) : pki.client(commonName);
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
