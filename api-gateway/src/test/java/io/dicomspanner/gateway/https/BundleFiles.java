package io.dicomspanner.gateway.https;

import io.dicomspanner.testing.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The files of a test gateway's {@code spanner-https} bundle: a certificate chain (server, then CA) and its key, at
 * fixed paths so that a test can rotate them, issued by a test CA ({@link TestPki}) of its own.
 */
final class BundleFiles {

    final Path dir;
    final Path certificate;
    final Path key;
    final TestPki ca;

    BundleFiles(String name) {
        try {
            dir = Files.createTempDirectory("gateway-https-" + name);
            certificate = dir.resolve("tls/gateway.pem");
            key = dir.resolve("tls/gateway-key.pem");
            ca = TestPki.create(dir.resolve("ca"), name);
            install(ca, "spanner-gateway");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The bundle on these files, watched, on a random HTTPS port beside the random plain HTTP port. */
    void register(DynamicPropertyRegistry registry) {
        registry.add("spring.ssl.bundle.pem.spanner-https.keystore.certificate", () -> "file:" + certificate);
        registry.add("spring.ssl.bundle.pem.spanner-https.keystore.private-key", () -> "file:" + key);
        registry.add("spring.ssl.bundle.pem.spanner-https.reload-on-update", () -> "true");
        registry.add("spring.ssl.bundle.watch.file.quiet-period", () -> "1s");
        registry.add("spanner.https.port", () -> "0");
    }

    /** Issues a server certificate of {@code issuer} and moves it (chain: it, then the CA) and its key into place. */
    void install(TestPki issuer, String commonName) throws IOException, InterruptedException {
        TestPki.Issued issued = issuer.server(commonName);
        Files.createDirectories(certificate.getParent());
        Path chain = dir.resolve(commonName + "-chain.pem");
        Files.writeString(
                chain,
                Files.readString(issued.certificate(), StandardCharsets.US_ASCII)
                        + Files.readString(issued.caCertificate(), StandardCharsets.US_ASCII),
                StandardCharsets.US_ASCII);
        Path keyCopy = dir.resolve(commonName + "-key-copy.pem");
        Files.copy(issued.privateKey(), keyCopy, StandardCopyOption.REPLACE_EXISTING);
        Files.move(keyCopy, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(chain, certificate, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A fresh CA that the first one does not trust (nor the other way round). */
    TestPki otherCa(String name) throws IOException, InterruptedException {
        return TestPki.create(dir.resolve(name), name);
    }
}
