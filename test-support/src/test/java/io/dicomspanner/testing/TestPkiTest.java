package io.dicomspanner.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPkiTest {

    @TempDir
    Path dir;

    private static X509Certificate read(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void issuedCertificatesAreSignedByTheirCaAndNotByAnother() throws Exception {
        TestPki one = TestPki.create(dir.resolve("one"), "one");
        TestPki other = TestPki.create(dir.resolve("other"), "other");

        TestPki.Issued server = one.server("pacs");
        X509Certificate cert = read(server.certificate());

        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=pacs");
        assertThat(cert.getIssuerX500Principal().getName()).isEqualTo("CN=one Test CA");
        cert.verify(read(one.caCertificate()).getPublicKey());
        assertThatThrownBy(() -> cert.verify(read(other.caCertificate()).getPublicKey()))
                .isInstanceOf(java.security.SignatureException.class);
        assertThat(cert.getSubjectAlternativeNames())
                .extracting(n -> (Object) n.get(1))
                .containsExactly("localhost", "127.0.0.1");
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(Files.readString(server.privateKey())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(read(one.client("modality").certificate()).getExtendedKeyUsage())
                .containsExactly("1.3.6.1.5.5.7.3.2");
    }

    @Test
    void anExpiredCertificateIsNotValidNow() throws Exception {
        TestPki pki = TestPki.create(dir, "ca");

        X509Certificate expired = read(pki.expiredServer("old").certificate());

        assertThatThrownBy(expired::checkValidity).isInstanceOf(CertificateExpiredException.class);
    }
}
