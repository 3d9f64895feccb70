package io.dicomspanner.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority for tests, made with {@code openssl} in a folder of the test's: a self-signed CA, and server
 * or client certificates it signs, each as PEM files (certificate, PKCS#8 key, the CA's certificate to trust). Two
 * authorities made apart do not trust each other, which is how a test gets "a certificate from another CA".
 */
public final class TestPki {

    /** One issued certificate: its PEM certificate, its PEM private key (PKCS#8, unencrypted), the issuer's CA PEM. */
    public record Issued(Path certificate, Path privateKey, Path caCertificate) {}

    private final Path dir;
    private final String name;
    private final Path caCertificate;
    private final Path caKey;

    private TestPki(Path dir, String name) {
        this.dir = dir;
        this.name = name;
        this.caCertificate = dir.resolve(name + "-ca.pem");
        this.caKey = dir.resolve(name + "-ca-key.pem");
    }

    /** A new CA called {@code name} ({@code CN=<name> Test CA}), valid for 2 days, its files in {@code dir}. */
    public static TestPki create(Path dir, String name) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        TestPki pki = new TestPki(dir, name);
        run(
                dir,
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=" + name + " Test CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
                "-keyout",
                pki.caKey.toString(),
                "-out",
                pki.caCertificate.toString());
        return pki;
    }

    /** The CA's certificate (PEM): what a peer trusts. */
    public Path caCertificate() {
        return caCertificate;
    }

    /** A server certificate for {@code localhost} and {@code 127.0.0.1}, subject {@code CN=<commonName>}. */
    public Issued server(String commonName) throws IOException, InterruptedException {
        return issue(commonName, "serverAuth", "subjectAltName=DNS:localhost,IP:127.0.0.1", 2);
    }

    /** A server certificate whose names are only {@code dnsName}: a host-name check against localhost fails. */
    public Issued serverFor(String commonName, String dnsName) throws IOException, InterruptedException {
        return issue(commonName, "serverAuth", "subjectAltName=DNS:" + dnsName, 2);
    }

    /** A client certificate, subject {@code CN=<commonName>}. */
    public Issued client(String commonName) throws IOException, InterruptedException {
        return issue(commonName, "clientAuth", null, 2);
    }

    /** A server certificate that expired yesterday ({@code openssl x509 -days -1}). */
    public Issued expiredServer(String commonName) throws IOException, InterruptedException {
        return issue(commonName, "serverAuth", "subjectAltName=DNS:localhost,IP:127.0.0.1", -1);
    }

    /** Certificate and key in one PEM file, as HAProxy and Orthanc's HTTPS side want them. */
    public Path combined(Issued issued) throws IOException {
        Path combined =
                dir.resolve(issued.certificate().getFileName().toString().replace(".pem", "-combined.pem"));
        Files.writeString(
                combined,
                Files.readString(issued.certificate(), StandardCharsets.US_ASCII)
                        + Files.readString(issued.privateKey(), StandardCharsets.US_ASCII),
                StandardCharsets.US_ASCII);
        return combined;
    }

    private Issued issue(String commonName, String usage, String subjectAltName, int days)
            throws IOException, InterruptedException {
        String base = name + "-" + commonName.replaceAll("[^A-Za-z0-9]", "_");
        Path key = dir.resolve(base + "-key.pem");
        Path csr = dir.resolve(base + ".csr");
        Path cert = dir.resolve(base + ".pem");
        Path ext = dir.resolve(base + ".ext");
        StringBuilder extensions = new StringBuilder("basicConstraints=CA:FALSE\nextendedKeyUsage=" + usage + "\n");
        if (subjectAltName != null) {
            extensions.append(subjectAltName).append('\n');
        }
        Files.writeString(ext, extensions.toString(), StandardCharsets.US_ASCII);
        run(
                dir,
                "openssl",
                "req",
                "-new",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                "/CN=" + commonName,
                "-keyout",
                key.toString(),
                "-out",
                csr.toString());
        List<String> sign = new ArrayList<>(List.of(
                "openssl",
                "x509",
                "-req",
                "-in",
                csr.toString(),
                "-CA",
                caCertificate.toString(),
                "-CAkey",
                caKey.toString(),
                "-CAcreateserial",
                "-extfile",
                ext.toString(),
                "-out",
                cert.toString()));
        sign.addAll(List.of("-days", Integer.toString(days)));
        run(dir, sign.toArray(String[]::new));
        return new Issued(cert, key, caCertificate);
    }

    /** Runs a command in {@code dir} to its end (at most 60 s); fails unless it exits with 0. */
    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not end within 60 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ": "
                    + new String(output, StandardCharsets.UTF_8));
        }
    }
}
