package io.dicomspanner.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.interop.Echoscu;
import io.dicomspanner.dicom.interop.UnusualPorts;
import io.dicomspanner.dicom.net.Association;
import io.dicomspanner.dicom.net.AssociationRequest;
import io.dicomspanner.dicom.net.DicomClient;
import io.dicomspanner.dicom.net.DicomPeer;
import io.dicomspanner.dicom.net.DicomSettings;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.net.TlsSettings;
import io.dicomspanner.dicom.net.service.CFindScu;
import io.dicomspanner.dicom.net.service.FindQuery;
import io.dicomspanner.dicom.net.service.FindResult;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.simulator.data.StudyCopy;
import io.dicomspanner.simulator.net.NetworkedFleet;
import io.dicomspanner.testing.TestPki;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --tls-pacs}: the PACS named listen over DICOM TLS with a certificate of a test CA; the others stay plain. */
class SimulatorTlsTest {

    @TempDir
    Path dir;

    @Test
    void tlsOptionsSetTheNamedPacsOnlyAndRequireClientCertificatesWithACa() throws Exception {
        TestPki pki = TestPki.create(dir, "sim");
        TestPki.Issued server = pki.server("pacs-simulator");

        SimulatorMain.Options options = SimulatorMain.Options.parse(new String[] {
            "--pacs",
            "3",
            "--tls-pacs",
            "PACS_C",
            "--tls-cert",
            server.certificate().toString(),
            "--tls-key=" + server.privateKey(),
            "--tls-ca",
            pki.caCertificate().toString()
        });

        assertThat(options.network.tlsPacs()).isEqualTo(Set.of("PACS_C"));
        assertThat(options.network.listensOverTls("PACS_A")).isFalse();
        assertThat(options.network.tls().certificateChain()).isEqualTo(server.certificate());
        assertThat(options.network.tls().privateKey()).isEqualTo(server.privateKey());
        assertThat(options.network.tls().trustedCertificates()).isEqualTo(pki.caCertificate());
        assertThat(options.network.tls().clientAuthRequired()).isTrue();
        assertThat(options.network.tls().protocols()).containsExactly("TLSv1.3", "TLSv1.2");

        SimulatorMain.Options withoutCa = SimulatorMain.Options.parse(new String[] {
            "--tls-pacs",
            "PACS_A",
            "--tls-cert",
            server.certificate().toString(),
            "--tls-key",
            server.privateKey().toString()
        });
        assertThat(withoutCa.network.tls().clientAuthRequired()).isFalse();
        assertThat(withoutCa.network.tls().trustedCertificates()).isNull();
    }

    @Test
    void badTlsOptionsAreRefusedWithTheReason() throws Exception {
        TestPki pki = TestPki.create(dir, "sim");
        TestPki.Issued server = pki.server("pacs-simulator");
        String cert = server.certificate().toString();
        String key = server.privateKey().toString();

        assertThatThrownBy(() -> SimulatorMain.Options.parse(new String[] {"--tls-pacs", "PACS_A"}))
                .hasMessage("--tls-pacs needs --tls-cert and --tls-key");
        assertThatThrownBy(() -> SimulatorMain.Options.parse(new String[] {"--tls-cert", cert, "--tls-key", key}))
                .hasMessage("--tls-cert, --tls-key and --tls-ca need --tls-pacs");
        assertThatThrownBy(() -> SimulatorMain.Options.parse(
                        new String[] {"--tls-pacs", "PACS_Z", "--tls-cert", cert, "--tls-key", key}))
                .hasMessage("--tls-pacs: no PACS named PACS_Z");
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> SimulatorMain.Options.parse(new String[] {"--tls-cert", missing.toString()}))
                .hasMessage("--tls-cert: cannot read " + missing);
    }

    @Test
    void aTlsPacsAnswersCFindOverMutualTlsAndRefusesPlainAndCertificateLessCallers() throws Exception {
        TestPki pki = TestPki.create(dir, "sim");
        TestPki.Issued server = pki.server("pacs-simulator");
        TestPki.Issued client = pki.client("spanner-worker");
        int port = UnusualPorts.pick();
        SimulatorMain.Options options = SimulatorMain.Options.parse(new String[] {
            "--pacs",
            "2",
            "--base-port",
            Integer.toString(port),
            "--patients",
            "50",
            "--latency-ms",
            "0",
            "--tls-pacs",
            "PACS_B",
            "--tls-cert",
            server.certificate().toString(),
            "--tls-key",
            server.privateKey().toString(),
            "--tls-ca",
            pki.caCertificate().toString()
        });
        SimulatedFleet expected = SimulatedFleet.build(options.settings);
        StudyCopy copy = expected.dataset().studies().stream()
                .flatMap(s -> s.copies().stream())
                .filter(c -> c.pacs() == 1)
                .findFirst()
                .orElseThrow();
        Attributes query = new Attributes();
        query.setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY");
        query.setString(Tag.PATIENT_ID, VR.LO, copy.patientId());
        query.setNull(Tag.STUDY_INSTANCE_UID, VR.UI);
        query.setNull(Tag.STUDY_DATE, VR.DA);
        List<Attributes> engine = new ArrayList<>();
        expected.pacs().get(1).engine().find(InformationModel.STUDY_ROOT, query).forEachRemaining(engine::add);
        TlsSettings clientTls = TlsSettings.fromPem(client.certificate(), client.privateKey())
                .withTrustedCertificates(pki.caCertificate());
        DicomPeer tlsPeer = new DicomPeer("127.0.0.1", port + 1, "PACSB", "SCU", true);

        try (NetworkedFleet running = NetworkedFleet.start(SimulatedFleet.build(options.settings), options.network);
                DicomClient mutual = new DicomClient(DicomSettings.defaults(), clientTls);
                DicomClient anonymous =
                        new DicomClient(DicomSettings.defaults(), TlsSettings.trusting(pki.caCertificate()))) {
            assertThat(running.server("PACS_B").isTls()).isTrue();
            assertThat(running.server("PACS_A").isTls()).isFalse();
            assertThat(running.server("PACS_B").toString())
                    .as("the announced line keeps its format")
                    .isEqualTo("PACS_B PACSB 127.0.0.1:" + (port + 1) + " NORMAL");

            Association as = mutual.connect(tlsPeer, AssociationRequest.forQuery("PACSB", "SCU"))
                    .get(30, TimeUnit.SECONDS);
            FindResult answer;
            try {
                answer = CFindScu.findAll(as, FindQuery.studyRoot(query)).get(30, TimeUnit.SECONDS);
            } finally {
                as.release().get(10, TimeUnit.SECONDS);
            }
            assertThat(answer.status()).isEqualTo(Status.SUCCESS);
            assertThat(engine).extracting(a -> a.getString(Tag.PATIENT_ID)).contains(copy.patientId());
            assertThat(answer.matches()).isEqualTo(engine);

            Throwable noClientCertificate = catchThrowable(() -> anonymous
                    .connect(tlsPeer, AssociationRequest.forEcho("PACSB", "SCU"))
                    .get(30, TimeUnit.SECONDS));
            assertThat(noClientCertificate).isInstanceOf(ExecutionException.class);

            assertThat(Echoscu.to("127.0.0.1", port + 1, "PACSB").run().succeeded())
                    .as("plain TCP to the TLS PACS")
                    .isFalse();
            assertThat(Echoscu.to("127.0.0.1", port, "PACSA").run().succeeded())
                    .as("the other PACS stays plain")
                    .isTrue();
        }
    }
}
