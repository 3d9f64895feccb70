package io.dicomspanner.worker.find;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceHealth;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SourceResult;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.net.TlsSettings;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.testing.TestPki;
import io.dicomspanner.worker.health.HealthChecker;
import io.dicomspanner.worker.testing.TestPacs;
import io.dicomspanner.worker.testing.WorkerTestSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Sources over DICOM TLS: the worker presents the client certificate of its {@code dicom-client} bundle and trusts its
 * CAs; each source says whether its certificate must name its host. The PACS is a TLS SCP on our own server that
 * requires a client certificate from our CA.
 */
class TlsSourceTest extends WorkerTestSupport {
    static final String UID = "2.25.7001";

    static TestPki ours;
    static TestPki theirs;

    @Autowired
    HealthChecker health;

    @DynamicPropertySource
    static void clientBundle(DynamicPropertyRegistry registry) {
        TestPki.Issued client = pki().client("spanner-worker");
        String bundle = "spring.ssl.bundle.pem.dicom-client.";
        registry.add(bundle + "keystore.certificate", () -> client.certificate().toString());
        registry.add(bundle + "keystore.private-key", () -> client.privateKey().toString());
        registry.add(
                bundle + "truststore.certificate", () -> ours.caCertificate().toString());
    }

    static synchronized TestPkiFiles pki() {
        try {
            if (ours == null) {
                Path dir = Files.createTempDirectory("worker-tls");
                ours = TestPki.create(dir, "ours");
                theirs = TestPki.create(dir, "theirs");
            }
            return new TestPkiFiles(ours);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Issues from a CA without checked exceptions, for the property source. */
    record TestPkiFiles(TestPki pki) {
        TestPki.Issued client(String commonName) {
            try {
                return pki.client(commonName);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** A TLS PACS with this certificate, requiring a client certificate from our CA, holding one study. */
    static TestPacs pacs(TestPki.Issued certificate) throws IOException {
        TlsSettings tls = TlsSettings.fromPem(certificate.certificate(), certificate.privateKey())
                .withTrustedCertificates(ours.caCertificate())
                .withClientAuthRequired(true);
        TestPacs pacs = new TestPacs(Set.copyOf(SopClasses.QUERY_FIND), true, tls);
        pacs.add(
                QueryLevel.STUDY,
                new Attributes()
                        .setString(Tag.PATIENT_ID, VR.LO, "TLS-1")
                        .setString(Tag.STUDY_INSTANCE_UID, VR.UI, UID));
        return pacs;
    }

    static SourceEndpoint tlsSource(int port, boolean verifyHostname) {
        return new SourceEndpoint(
                newSourceId(),
                "tls source",
                "TESTPACS",
                "localhost",
                port,
                "SPANNER",
                true,
                verifyHostname,
                4,
                30,
                List.of(InformationModel.STUDY_ROOT),
                true,
                List.of());
    }

    static Attributes query() {
        return new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.PATIENT_ID, VR.LO, "TLS-1")
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);
    }

    SourceResult failedRun(SourceEndpoint source) {
        publish(task(source, QueryLevel.STUDY, query(), inSeconds(60), 2));
        return last(resultsUntilFinal());
    }

    @Test
    void aTlsSourceIsAskedWithTheWorkersClientCertificateAndEchoedOverTheSamePath() throws Exception {
        try (TestPacs pacs = pacs(ours.server("pacs"))) {
            SourceEndpoint source = tlsSource(pacs.port(), true);

            List<SourceResult> results = successfulRun(source, QueryLevel.STUDY, query());

            assertThat(matches(results))
                    .extracting(a -> a.getString(Tag.STUDY_INSTANCE_UID))
                    .containsExactly(UID);
            SourceHealth echoed = health.check(source).join();
            assertThat(echoed.state()).isEqualTo(SourceHealth.State.UP);
            assertThat(echoed.error()).isNull();
        }
    }

    @Test
    void aCertificateThatDoesNotNameTheHostFailsASourceThatChecksItAndServesOneThatDoesNot() throws Exception {
        try (TestPacs pacs = pacs(ours.serverFor("pacs-b", "pacs-b.elsewhere.example"))) {
            SourceEndpoint checked = tlsSource(pacs.port(), true);
            SourceEndpoint unchecked = tlsSource(pacs.port(), false);

            SourceResult failed = failedRun(checked);
            assertThat(failed.outcome()).isEqualTo(SourceOutcome.CONNECTION_FAILED);
            assertThat(failed.error()).isEqualTo("TLS handshake failed: host name mismatch");
            SourceHealth down = health.check(checked).join();
            assertThat(down.state()).isEqualTo(SourceHealth.State.DOWN);
            assertThat(down.error()).isEqualTo("TLS handshake failed: host name mismatch");

            assertThat(matches(successfulRun(unchecked, QueryLevel.STUDY, query())))
                    .extracting(a -> a.getString(Tag.STUDY_INSTANCE_UID))
                    .containsExactly(UID);
            assertThat(health.check(unchecked).join().state()).isEqualTo(SourceHealth.State.UP);
        }
    }

    @Test
    void aPacsCertificateFromAnotherCaIsAnUnknownCaInTheResultAndTheHealth() throws Exception {
        try (TestPacs pacs = pacs(theirs.server("pacs-c"))) {
            SourceEndpoint source = tlsSource(pacs.port(), true);

            SourceResult failed = failedRun(source);
            assertThat(failed.outcome()).isEqualTo(SourceOutcome.CONNECTION_FAILED);
            assertThat(failed.error()).isEqualTo("TLS handshake failed: unknown CA");
            assertThat(pacs.associations())
                    .as("a certificate problem is not retried")
                    .isZero();

            SourceHealth down = health.check(source).join();
            assertThat(down.state()).isEqualTo(SourceHealth.State.DOWN);
            assertThat(down.error()).isEqualTo("TLS handshake failed: unknown CA");
        }
    }
}
