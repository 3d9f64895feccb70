package io.dicomspanner.dicom.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.DicomServer;
import io.dicomspanner.dicom.net.DicomSettings;
import io.dicomspanner.dicom.net.TestCertificates;
import io.dicomspanner.dicom.net.TlsSettings;
import io.dicomspanner.dicom.net.service.CEchoScp;
import io.dicomspanner.dicom.net.service.CFindScp;
import io.dicomspanner.dicom.net.service.DicomServiceRegistry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/dicom} with {@code --tls-ca} against our own SCP that speaks only TLS (a self-signed certificate for
 * localhost / 127.0.0.1 made by keytool): the C-FIND works and prints the SCP's match; a certificate not trusted, or
 * no TLS at all, is a connection error with exit code 2.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DicomTlsCliTest {
    private static final String PASSWORD = TestCertificates.PASSWORD;
    private static final String AE_TITLE = "TLSSCP";

    @TempDir
    static Path dir;

    private Path trusted;
    private Path untrusted;
    private DicomServer server;

    @BeforeAll
    void start() throws Exception {
        Path keyStore = dir.resolve("server.p12");
        trusted = dir.resolve("server.pem");
        untrusted = dir.resolve("other.pem");
        TestCertificates.selfSigned("dicom", keyStore, trusted);
        TestCertificates.selfSigned("dicom", dir.resolve("other.p12"), untrusted);
        Attributes match = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.PATIENT_ID, VR.LO, "TLS-1")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "2.25.1234");
        server = DicomServer.builder()
                .settings(DicomSettings.defaults())
                .bind("127.0.0.1", UnusualPorts.pick())
                .calledAeTitles(List.of(AE_TITLE))
                .tls(TlsSettings.fromKeyStore(keyStore, "PKCS12", PASSWORD))
                .requestHandler(
                        new DicomServiceRegistry().register(new CEchoScp()).register(new CFindScp((rq, rsp) -> {
                            rsp.pending(match);
                            rsp.complete();
                        })))
                .start();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String address() {
        return "127.0.0.1:" + server.port();
    }

    @Test
    void findOverTlsTrustingTheServersCertificatePrintsItsMatch() throws Exception {
        DicomCliRunner.Run run = DicomCliRunner.run(
                "find",
                address(),
                "--called",
                AE_TITLE,
                "--tls-ca",
                trusted.toString(),
                "--level",
                "STUDY",
                "-k",
                "PatientID",
                "-k",
                "StudyInstanceUID");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout())
                .isEqualTo("[{\"00080052\":{\"vr\":\"CS\",\"Value\":[\"STUDY\"]},"
                        + "\"00100020\":{\"vr\":\"LO\",\"Value\":[\"TLS-1\"]},"
                        + "\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"2.25.1234\"]}}]\n");
    }

    @Test
    void echoOverTlsWithAnotherCertificateTrustedIsAConnectionError() throws Exception {
        DicomCliRunner.Run run =
                DicomCliRunner.run("echo", address(), "--called", AE_TITLE, "--tls-ca", untrusted.toString());

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr())
                .startsWith("dicom echo: TLS handshake with /127.0.0.1:" + server.port() + " failed: unknown CA");
    }

    @Test
    void echoWithoutTlsToATlsOnlyServerIsAConnectionError() throws Exception {
        DicomCliRunner.Run run = DicomCliRunner.run(
                "echo", address(), "--called", AE_TITLE, "--associate-timeout", "5", "--connect-timeout", "5");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr())
                .isEqualTo("dicom echo: connection to /127.0.0.1:" + server.port()
                        + " closed without A-RELEASE or A-ABORT\n");
    }
}
