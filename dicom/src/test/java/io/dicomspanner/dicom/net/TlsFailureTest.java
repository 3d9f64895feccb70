package io.dicomspanner.dicom.net;

import static io.dicomspanner.dicom.net.NetTestSupport.FAST;
import static io.dicomspanner.dicom.net.NetTestSupport.await;
import static io.dicomspanner.dicom.net.NetTestSupport.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.net.service.CEchoScp;
import io.dicomspanner.dicom.net.service.CEchoScu;
import io.dicomspanner.dicom.net.service.DicomServiceRegistry;
import io.dicomspanner.testing.TestPki;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real handshakes that fail, each reported as its reason in a few words: what a query's status and a source's health
 * show. Certificates from two test authorities that do not trust each other.
 */
class TlsFailureTest {

    @TempDir
    static Path dir;

    static TestPki ours;
    static TestPki theirs;
    static TestPki.Issued server;
    static TestPki.Issued client;

    @BeforeAll
    static void makeCertificates() throws Exception {
        ours = TestPki.create(dir, "ours");
        theirs = TestPki.create(dir, "theirs");
        server = ours.server("pacs");
        client = ours.client("spanner");
    }

    /** A TLS SCP that requires a client certificate from our authority. */
    /** This side's certificate, trusting our authority, with these TLS versions (empty: 1.3 and 1.2). */
    static TlsSettings tls(TestPki.Issued certificate, boolean clientAuthRequired, List<String> protocols) {
        return new TlsSettings(
                certificate.certificate(),
                certificate.privateKey(),
                null,
                null,
                null,
                null,
                ours.caCertificate(),
                null,
                null,
                null,
                clientAuthRequired,
                true,
                protocols);
    }

    static DicomServer server(TestPki.Issued certificate, List<String> protocols) throws IOException {
        return DicomServer.builder()
                .settings(FAST)
                .bind("127.0.0.1", 0)
                .tls(tls(certificate, true, protocols))
                .requestHandler(new DicomServiceRegistry().register(new CEchoScp()))
                .start();
    }

    static DicomServer server(TestPki.Issued certificate) throws IOException {
        return server(certificate, List.of());
    }

    /** Our client certificate, trusting our authority, host names checked. */
    static DicomClient client() throws IOException {
        return new DicomClient(
                FAST,
                TlsSettings.fromPem(client.certificate(), client.privateKey())
                        .withTrustedCertificates(ours.caCertificate()));
    }

    static DicomPeer peer(DicomServer server) {
        return new DicomPeer("localhost", server.port(), "PACS", "SPANNER", true);
    }

    static TlsFailure tlsFailureOf(DicomClient client, DicomPeer peer) throws InterruptedException {
        Throwable failure = failureOf(client.connect(peer));
        assertThat(failure).isInstanceOf(TlsFailure.class);
        return (TlsFailure) failure;
    }

    @Test
    void aServerCertificateFromAnAuthorityNotTrustedIsAnUnknownCa() throws Exception {
        try (DicomServer pacs = server(theirs.server("pacs"));
                DicomClient client = client()) {
            TlsFailure failure = tlsFailureOf(client, peer(pacs));

            assertThat(failure.reason()).isEqualTo(TlsFailure.Reason.UNKNOWN_CA);
            assertThat(failure.summary()).isEqualTo("TLS handshake failed: unknown CA");
            assertThat(failure)
                    .hasMessage("TLS handshake with localhost/127.0.0.1:" + pacs.port() + " failed: unknown CA");
        }
    }

    @Test
    void anExpiredServerCertificateIsReportedAsExpired() throws Exception {
        try (DicomServer pacs = server(ours.expiredServer("old-pacs"));
                DicomClient client = client()) {
            TlsFailure failure = tlsFailureOf(client, peer(pacs));

            assertThat(failure.summary()).isEqualTo("TLS handshake failed: certificate expired");
        }
    }

    @Test
    void aServerCertificateForAnotherHostIsAHostNameMismatchUnlessThePeerIsNotChecked() throws Exception {
        try (DicomServer pacs = server(ours.serverFor("pacs-b", "pacs-b.elsewhere.example"));
                DicomClient client = client()) {
            TlsFailure failure = tlsFailureOf(client, peer(pacs));
            assertThat(failure.summary()).isEqualTo("TLS handshake failed: host name mismatch");

            DicomPeer unchecked = new DicomPeer("localhost", pacs.port(), "PACS", "SPANNER", true, false);
            Association as = await(client.connect(unchecked));
            assertThat(await(CEchoScu.echo(as))).isEqualTo(Status.SUCCESS);
            await(as.release());
        }
    }

    @Test
    void theHostNameCheckAppliesToAnIpAddressToo() throws Exception {
        try (DicomServer pacs = server(ours.serverFor("pacs-c", "pacs-c.elsewhere.example"));
                DicomClient client = client()) {
            TlsFailure failure = tlsFailureOf(client, new DicomPeer("127.0.0.1", pacs.port(), "PACS", "SPANNER", true));

            assertThat(failure.summary()).isEqualTo("TLS handshake failed: host name mismatch");
        }
    }

    @Test
    void noClientCertificateWhereTheServerRequiresOneIsReportedAsSuch() throws Exception {
        try (DicomServer pacs = server(server);
                DicomClient withoutCertificate = new DicomClient(FAST, TlsSettings.trusting(ours.caCertificate()))) {
            TlsFailure failure = tlsFailureOf(withoutCertificate, peer(pacs));

            assertThat(failure.summary()).isEqualTo("TLS handshake failed: no client certificate accepted");
        }
    }

    /**
     * A JSSE server names the authorities it accepts, and a JSSE client then presents none of another authority's
     * certificates: to the client it is the same failure as having none.
     */
    @Test
    void aClientCertificateFromAnAuthorityTheServerDoesNotAcceptIsNotPresented() throws Exception {
        TestPki.Issued stranger = theirs.client("stranger");
        try (DicomServer pacs = server(server);
                DicomClient client = new DicomClient(
                        FAST,
                        TlsSettings.fromPem(stranger.certificate(), stranger.privateKey())
                                .withTrustedCertificates(ours.caCertificate()))) {
            TlsFailure failure = tlsFailureOf(client, peer(pacs));

            assertThat(failure.summary()).isEqualTo("TLS handshake failed: no client certificate accepted");
        }
    }

    /** OpenSSL peers (Orthanc, dcmtk) present no list of authorities, so a client sends its certificate and is told. */
    @Test
    void alertsAboutOurCertificateReadAsARefusal() {
        for (String alert : List.of("bad_certificate", "unknown_ca", "certificate_expired", "access_denied")) {
            TlsFailure failure = TlsFailure.of(
                    new DicomNetworkException("transport failed", new SSLException("Received fatal alert: " + alert)),
                    null);
            assertThat(failure.summary()).as(alert).isEqualTo("TLS handshake failed: peer refused our certificate");
        }
        assertThat(TlsFailure.of(new SSLHandshakeException("Received fatal alert: certificate_required"), null)
                        .summary())
                .isEqualTo("TLS handshake failed: no client certificate accepted");
        assertThat(TlsFailure.of(new SSLHandshakeException("Received fatal alert: protocol_version"), null)
                        .summary())
                .isEqualTo("TLS handshake failed: no common protocol or cipher");
    }

    @Test
    void aFailureWithoutTlsInItsCausesIsNoTlsFailure() {
        assertThat(TlsFailure.of(new DicomTimeoutException("no A-ASSOCIATE-AC within 5000 ms"), null))
                .isNull();
    }

    @Test
    void noTlsVersionInCommonIsReportedAsSuch() throws Exception {
        try (DicomServer pacs = server(server, List.of("TLSv1.3"));
                DicomClient tls12Only = new DicomClient(FAST, tls(client, false, List.of("TLSv1.2")))) {
            TlsFailure failure = tlsFailureOf(tls12Only, peer(pacs));

            assertThat(failure.summary()).isEqualTo("TLS handshake failed: no common protocol or cipher");
        }
    }

    @Test
    void thePoolTellsAPeerCheckedFromTheSamePeerUnchecked() {
        assertThat(new DicomPeer("pacs", 2762, "PACS", "SPANNER", true))
                .isEqualTo(new DicomPeer("pacs", 2762, "PACS", "SPANNER", true, true))
                .isNotEqualTo(new DicomPeer("pacs", 2762, "PACS", "SPANNER", true, false));
    }
}
