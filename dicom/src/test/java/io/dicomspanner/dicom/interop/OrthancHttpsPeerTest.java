package io.dicomspanner.dicom.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.synth.SyntheticStudies;
import io.dicomspanner.dicom.data.synth.SyntheticStudy;
import io.dicomspanner.testing.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OrthancPeer} with HTTPS on (Orthanc's own {@code SslEnabled}) and basic authentication: it starts, takes
 * uploads and answers QIDO-RS over HTTPS request after request (Debian's Orthanc dies on its first HTTPS request
 * without the peer's OpenSSL 3 shim), with its certificate from the test's CA, which a client not trusting that CA
 * refuses.
 */
class OrthancHttpsPeerTest {

    @Test
    void orthancAnswersQidoRsOverHttpsRequestAfterRequestAndAClientNotTrustingItsCaRefusesIt(@TempDir Path dir)
            throws Exception {
        TestPki pki = TestPki.create(dir, "hospital");
        TestPki.Issued certificate = pki.server("orthanc-https");
        SyntheticStudies studies = SyntheticStudies.generate(6021, 2, 1, 1, 1);
        try (OrthancPeer orthanc = OrthancPeer.builder()
                .aeTitle("ORTHANC_HTTPS")
                .https(certificate.certificate(), certificate.privateKey(), pki.caCertificate())
                .basicAuth("spanner", "https-pw")
                .start()) {
            assertThat(orthanc.dicomWebRoot().toString())
                    .isEqualTo("https://127.0.0.1:" + orthanc.httpPort() + "/dicom-web/");
            orthanc.upload(studies);

            Set<String> expected = new TreeSet<>();
            studies.studies().stream().map(SyntheticStudy::studyInstanceUid).forEach(expected::add);
            for (int i = 0; i < 3; i++) {
                List<Attributes> found = orthanc.qido("studies");
                Set<String> uids = new TreeSet<>();
                found.forEach(a -> uids.add(a.getString(Tag.STUDY_INSTANCE_UID)));
                assertThat(uids).isEqualTo(expected);
            }

            HttpClient untrusting = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create(orthanc.dicomWebRoot() + "studies"))
                    .build();
            assertThatThrownBy(() -> untrusting.send(request, HttpResponse.BodyHandlers.discarding()))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("PKIX path building failed");
            assertThat(orthanc.qido("studies")).hasSize(expected.size());
        }
    }
}
