package io.dicomspanner.dicom.net;

import static io.dicomspanner.dicom.net.NetTestSupport.FAST;
import static io.dicomspanner.dicom.net.NetTestSupport.await;
import static io.dicomspanner.dicom.net.NetTestSupport.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.net.pdu.AAssociateRj;
import io.dicomspanner.dicom.net.pdu.AAssociateRq;
import io.dicomspanner.dicom.net.service.CEchoScp;
import io.dicomspanner.dicom.net.service.CEchoScu;
import io.dicomspanner.dicom.net.service.DicomServiceRegistry;
import io.dicomspanner.testing.TestPki;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an acceptor learns of a TLS requestor: its association filter sees the certificate chain the client sent (its own certificate here), verified,
 * (none on a plain connection), and a failed handshake is reported with the remote address and the cause.
 */
class AcceptorTlsPeerTest {

    @TempDir
    static Path dir;

    static TestPki hospital;
    static TestPki stranger;
    static TestPki.Issued serverCert;
    static TestPki.Issued modality;
    static TestPki.Issued intruder;

    @BeforeAll
    static void certificates() throws Exception {
        hospital = TestPki.create(dir.resolve("hospital"), "hospital");
        stranger = TestPki.create(dir.resolve("stranger"), "stranger");
        serverCert = hospital.server("scp");
        modality = hospital.client("modality-1");
        intruder = stranger.client("modality-1");
    }

    record Seen(String callingAe, List<String> subjects) {}

    @Test
    void theFilterSeesTheClientsVerifiedCertificateChainAndMayRejectByIt() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        AssociationFilter filter = new AssociationFilter() {
            @Override
            public Optional<AAssociateRj> check(AAssociateRq request, SocketAddress remoteAddress) {
                throw new AssertionError("the acceptor asks with the peer's certificates");
            }

            @Override
            public Optional<AAssociateRj> check(
                    AAssociateRq request, SocketAddress remoteAddress, List<X509Certificate> peerCertificates) {
                seen.add(new Seen(
                        request.callingAeTitle(),
                        peerCertificates.stream()
                                .map(c -> c.getSubjectX500Principal().getName())
                                .toList()));
                return request.callingAeTitle().equals("MODALITY_1")
                        ? Optional.empty()
                        : Optional.of(AAssociateRj.callingAeTitleNotRecognized());
            }
        };
        try (DicomServer server = server(filter, null);
                DicomClient client = new DicomClient(FAST, clientTls(modality), null, null)) {
            Association as =
                    await(client.connect(new DicomPeer("127.0.0.1", server.port(), "SCP", "MODALITY_1", true)));
            assertThat(await(CEchoScu.echo(as))).isEqualTo(Status.SUCCESS);
            await(as.release());
            Throwable rejected =
                    failureOf(client.connect(new DicomPeer("127.0.0.1", server.port(), "SCP", "OTHER_AE", true)));

            assertThat(rejected).isInstanceOf(AssociationRejectedException.class);
            assertThat(((AssociationRejectedException) rejected).reject())
                    .isEqualTo(AAssociateRj.callingAeTitleNotRecognized());
            assertThat(seen)
                    .containsExactly(
                            new Seen("MODALITY_1", List.of("CN=modality-1")),
                            new Seen("OTHER_AE", List.of("CN=modality-1")));
        }
    }

    @Test
    void aFailedHandshakeIsReportedWithTheRemoteAddressAndTheCause() throws Exception {
        LinkedBlockingQueue<Throwable> failures = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<SocketAddress> from = new LinkedBlockingQueue<>();
        try (DicomServer server = server(null, (remote, cause) -> {
                    from.add(remote);
                    failures.add(cause);
                });
                DicomClient client = new DicomClient(FAST, clientTls(intruder), null, null)) {
            Throwable failure =
                    failureOf(client.connect(new DicomPeer("127.0.0.1", server.port(), "SCP", "MODALITY_1", true)));
            assertThat(failure).isInstanceOf(DicomNetworkException.class);

            Throwable reported = failures.poll(30, TimeUnit.SECONDS);
            assertThat(reported).isInstanceOf(SSLHandshakeException.class);
            // The JDK's client sends only a certificate of an authority the server names, so here it sends none.
            assertThat(reported.getMessage()).isEqualTo("Empty client certificate chain");
            assertThat(from.poll()).asString().startsWith("/127.0.0.1:");
            assertThat(failures).isEmpty();
        }
    }

    private static DicomServer server(AssociationFilter filter, BiConsumer<SocketAddress, Throwable> onFailure)
            throws Exception {
        return DicomServer.builder()
                .settings(FAST)
                .bind("127.0.0.1", 0)
                .tls(TlsSettings.fromPem(serverCert.certificate(), serverCert.privateKey())
                        .withTrustedCertificates(hospital.caCertificate())
                        .withClientAuthRequired(true))
                .filter(filter)
                .onTlsHandshakeFailure(onFailure)
                .requestHandler(new DicomServiceRegistry().register(new CEchoScp()))
                .start();
    }

    private static TlsSettings clientTls(TestPki.Issued client) {
        return TlsSettings.fromPem(client.certificate(), client.privateKey())
                .withTrustedCertificates(hospital.caCertificate());
    }
}
