package io.dicomspanner.dicom.net;

import static io.dicomspanner.dicom.net.NetTestSupport.FAST;
import static io.dicomspanner.dicom.net.NetTestSupport.await;
import static io.dicomspanner.dicom.net.NetTestSupport.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.service.CEchoScp;
import io.dicomspanner.dicom.net.service.CEchoScu;
import io.dicomspanner.dicom.net.service.CFindScp;
import io.dicomspanner.dicom.net.service.CFindScu;
import io.dicomspanner.dicom.net.service.DicomServiceRegistry;
import io.dicomspanner.dicom.net.service.FindQuery;
import io.dicomspanner.dicom.net.service.FindResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS on both sides with a self-signed certificate made for the test by keytool and openssl. */
class TlsTest {
    static final String PASSWORD = TestCertificates.PASSWORD;

    @TempDir
    static Path dir;

    static Path keyStore;
    static Path certificate;
    static Path privateKey;
    static Path otherCertificate;

    @BeforeAll
    static void makeCertificates() throws Exception {
        keyStore = dir.resolve("server.p12");
        certificate = dir.resolve("server.pem");
        privateKey = dir.resolve("server-key.pem");
        otherCertificate = dir.resolve("other.pem");
        TestCertificates.selfSigned("dicom", keyStore, certificate);
        TestCertificates.run(
                "bash",
                "-c",
                "openssl pkcs12 -in '" + keyStore + "' -nocerts -nodes -passin pass:" + PASSWORD
                        + " | openssl pkey -out '" + privateKey + "'");
        TestCertificates.selfSigned("other", dir.resolve("other.p12"), otherCertificate);
    }

    static DicomServer server(TlsSettings tls) throws IOException {
        return DicomServer.builder()
                .settings(FAST)
                .bind("127.0.0.1", 0)
                .tls(tls)
                .requestHandler(new DicomServiceRegistry()
                        .register(new CEchoScp())
                        .register(new CFindScp((rq, rsp) -> {
                            rsp.pending(new Attributes()
                                    .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                                    .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.3.4"));
                            rsp.complete();
                        })))
                .start();
    }

    static DicomPeer tlsPeer(DicomServer server) {
        return new DicomPeer("127.0.0.1", server.port(), "TLSSCP", "TLSSCU", true);
    }

    @Test
    void echoAndFindWorkOverTlsWithAKeyStoreServerAndAPemTrustingClient() throws Exception {
        try (DicomServer server = server(TlsSettings.fromKeyStore(keyStore, "PKCS12", PASSWORD));
                DicomClient client = new DicomClient(FAST, TlsSettings.trusting(certificate))) {
            Association as = await(client.connect(tlsPeer(server)));

            assertThat(await(CEchoScu.echo(as))).isEqualTo(Status.SUCCESS);
            FindResult r = await(CFindScu.findAll(
                    as, FindQuery.studyRoot(new Attributes().setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY"))));
            assertThat(r.matches())
                    .extracting(a -> a.getString(Tag.STUDY_INSTANCE_UID))
                    .containsExactly("1.2.3.4");
            await(as.release());
        }
    }

    @Test
    void serverKeyAndCertificateMayComeFromPemFiles() throws Exception {
        try (DicomServer server = server(TlsSettings.fromPem(certificate, privateKey));
                DicomClient client = new DicomClient(FAST, TlsSettings.trusting(certificate))) {
            Association as = await(client.connect(tlsPeer(server)));
            assertThat(await(CEchoScu.echo(as))).isEqualTo(Status.SUCCESS);
            await(as.release());
        }
    }

    @Test
    void clientThatDoesNotTrustTheServerCertificateFailsTheHandshake() throws Exception {
        try (DicomServer server = server(TlsSettings.fromKeyStore(keyStore, "PKCS12", PASSWORD));
                DicomClient client = new DicomClient(FAST, TlsSettings.trusting(otherCertificate))) {
            Throwable failure = failureOf(client.connect(tlsPeer(server)));
            assertThat(failure)
                    .isInstanceOf(DicomNetworkException.class)
                    .hasMessageStartingWith("TLS handshake with /127.0.0.1:" + server.port() + " failed: ")
                    .hasCauseInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void aServersNewCertificateAppliesToTheConnectionsAcceptedAfterTheUpdate() throws Exception {
        Path otherKey = dir.resolve("other-key.pem");
        TestCertificates.run(
                "bash",
                "-c",
                "openssl pkcs12 -in '" + dir.resolve("other.p12") + "' -nocerts -nodes -passin pass:" + PASSWORD
                        + " | openssl pkey -out '" + otherKey + "'");
        try (DicomServer server = server(TlsSettings.fromPem(certificate, privateKey));
                DicomClient trustsFirst = new DicomClient(FAST, TlsSettings.trusting(certificate));
                DicomClient trustsOther = new DicomClient(FAST, TlsSettings.trusting(otherCertificate))) {
            Association before = await(trustsFirst.connect(tlsPeer(server)));

            server.updateTls(TlsSettings.fromPem(otherCertificate, otherKey).newServerContext());

            assertThat(await(CEchoScu.echo(before)))
                    .as("an association opened before keeps its session")
                    .isEqualTo(Status.SUCCESS);
            assertThat(failureOf(trustsFirst.connect(tlsPeer(server))))
                    .isInstanceOf(DicomNetworkException.class)
                    .hasMessageStartingWith("TLS handshake with /127.0.0.1:" + server.port() + " failed: ");
            Association after = await(trustsOther.connect(tlsPeer(server)));
            assertThat(await(CEchoScu.echo(after))).isEqualTo(Status.SUCCESS);
            await(before.release());
            await(after.release());
        }
    }

    @Test
    void aClientsNewTrustAppliesToTheConnectionsOpenedAfterTheUpdate() throws Exception {
        try (DicomServer server = server(TlsSettings.fromPem(certificate, privateKey));
                DicomClient client = new DicomClient(
                        FAST, TlsSettings.trusting(otherCertificate).newClientContext(), null, null)) {
            assertThat(failureOf(client.connect(tlsPeer(server)))).isInstanceOf(DicomNetworkException.class);

            client.updateTls(TlsSettings.trusting(certificate).newClientContext());

            Association as = await(client.connect(tlsPeer(server)));
            assertThat(await(CEchoScu.echo(as))).isEqualTo(Status.SUCCESS);
            await(as.release());
        }
    }

    @Test
    void aPlainServerCannotTurnToTls() throws Exception {
        try (DicomServer server = DicomServer.builder()
                .settings(FAST)
                .bind("127.0.0.1", 0)
                .requestHandler(new DicomServiceRegistry().register(new CEchoScp()))
                .start()) {
            assertThatThrownBy(() -> server.updateTls(
                            TlsSettings.fromPem(certificate, privateKey).newServerContext()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("this server was started without TLS");
        }
    }

    @Test
    void plainClientCannotAssociateWithATlsServer() throws Exception {
        try (DicomServer server = server(TlsSettings.fromKeyStore(keyStore, "PKCS12", PASSWORD));
                DicomClient client = new DicomClient(FAST)) {
            Throwable failure =
                    failureOf(client.connect(new DicomPeer("127.0.0.1", server.port(), "TLSSCP", "TLSSCU", false)));
            assertThat(failure).isInstanceOf(DicomNetworkException.class);
        }
    }

    @Test
    void peerAskingForTlsNeedsTlsSettingsOnTheClient() throws Exception {
        try (DicomServer server = server(TlsSettings.fromKeyStore(keyStore, "PKCS12", PASSWORD));
                DicomClient client = new DicomClient(FAST)) {
            assertThat(failureOf(client.connect(tlsPeer(server))))
                    .hasMessage(tlsPeer(server) + " wants TLS, but this client has no TLS settings");
        }
    }

    @Test
    void serverRequiringClientCertificatesAcceptsATrustedOneAndRefusesNone() throws Exception {
        TlsSettings serverTls = TlsSettings.fromKeyStore(keyStore, "PKCS12", PASSWORD)
                .withTrustedCertificates(certificate)
                .withClientAuthRequired(true);
        try (DicomServer server = server(serverTls);
                DicomClient withCert = new DicomClient(
                        FAST,
                        TlsSettings.fromKeyStore(keyStore, "PKCS12", PASSWORD).withTrustedCertificates(certificate),
                        null,
                        null);
                DicomClient withoutCert = new DicomClient(FAST, TlsSettings.trusting(certificate))) {
            Association as = await(withCert.connect(tlsPeer(server)));
            assertThat(await(CEchoScu.echo(as))).isEqualTo(Status.SUCCESS);
            await(as.release());

            assertThat(failureOf(withoutCert.connect(tlsPeer(server)))).isInstanceOf(DicomNetworkException.class);
        }
    }

    @Test
    void dcmtkEchoscuAssociatesOverTlsAndGetsSuccess() throws Exception {
        try (DicomServer server = server(TlsSettings.fromPem(certificate, privateKey))) {
            ProcessBuilder pb = new ProcessBuilder(
                            "echoscu",
                            "-v",
                            "-aet",
                            "DCMTKSCU",
                            "-aec",
                            "TLSSCP",
                            "+tla",
                            "+cf",
                            certificate.toString(),
                            "127.0.0.1",
                            Integer.toString(server.port()))
                    .redirectErrorStream(true);
            pb.environment().put("TCP_NODELAY", "1");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("Received Echo Response (Success)");
        }
    }
}
