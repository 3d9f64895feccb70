package io.dicomspanner.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Self-signed certificates for TLS tests, made by the JDK's keytool. */
public final class TestCertificates {
    public static final String PASSWORD = "changeit";

    private TestCertificates() {}

    /**
     * A 2-day RSA key pair for localhost / 127.0.0.1 under {@code alias} in a PKCS12 key store (password {@link
     * #PASSWORD}), and its certificate as PEM.
     */
    public static void selfSigned(String alias, Path keyStore, Path pem) throws IOException, InterruptedException {
        run(
                "keytool",
                "-genkeypair",
                "-alias",
                alias,
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-validity",
                "2",
                "-keystore",
                keyStore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD);
        run(
                "keytool",
                "-exportcert",
                "-rfc",
                "-alias",
                alias,
                "-keystore",
                keyStore.toString(),
                "-storepass",
                PASSWORD,
                "-file",
                pem.toString());
    }

    /** Runs a command to its end (at most 60 s) and fails the test unless it exits with 0; returns its output. */
    public static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", command), out).isZero();
        return out;
    }
}
