package io.dicomspanner.gateway.https;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.testing.Command;
import io.dicomspanner.testing.TestPki;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Rotation without a restart: the bundle's files are replaced by a certificate of another CA, the bundle reloads
 * them (file watch, quiet period 1 s here) and the next handshake presents the new certificate.
 */
class HttpsCertificateRotationTest extends HttpsGatewayTest {

    static final BundleFiles BUNDLE = new BundleFiles("https-rotation");

    /** How long the test waits for the reload at most; it asserts only that it happens. */
    private static final Duration RELOAD_BOUND = Duration.ofSeconds(60);

    @DynamicPropertySource
    static void https(DynamicPropertyRegistry registry) {
        BUNDLE.register(registry);
    }

    @Test
    void replacedFilesAreServedOnTheNextHandshakeAndTheOldCaNoLongerVerifies() throws Exception {
        assertThat(presentedChain()).contains("\n 0 s:CN = spanner-gateway\n   i:CN = https-rotation Test CA\n");
        TestPki renewed = BUNDLE.otherCa("https-renewed");

        BUNDLE.install(renewed, "spanner-gateway-renewed");

        String chain = awaitChain("s:CN = spanner-gateway-renewed");
        assertThat(chain)
                .contains("\n 0 s:CN = spanner-gateway-renewed\n   i:CN = https-renewed Test CA\n")
                .contains("\n 1 s:CN = https-renewed Test CA\n   i:CN = https-renewed Test CA\n");
        Command newCa = curl(renewed.caCertificate().toString());
        Command oldCa = curl(BUNDLE.ca.caCertificate().toString());
        assertThat(newCa.exitCode()).as(newCa.output()).isZero();
        assertThat(newCa.out()).isEqualTo("200");
        // 60: CURLE_PEER_FAILED_VERIFICATION
        assertThat(oldCa.exitCode()).as(oldCa.output()).isEqualTo(60);
        assertThat(oldCa.err())
                .contains("curl: (60) SSL certificate problem: self-signed certificate in certificate chain");
    }

    private Command curl(String caFile) {
        return Command.run(
                "curl",
                "-sS",
                "-o",
                "/dev/null",
                "--cacert",
                caFile,
                "-w",
                "%{http_code}",
                "https://localhost:" + httpsPort() + "/actuator/health/liveness");
    }

    private String presentedChain() {
        Command openssl =
                Command.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + httpsPort(), "-showcerts"));
        assertThat(openssl.exitCode()).as(openssl.output()).isZero();
        return openssl.out();
    }

    /** Handshakes until the presented chain contains {@code expected}, for at most {@link #RELOAD_BOUND}. */
    private String awaitChain(String expected) throws InterruptedException {
        long giveUp = System.nanoTime() + RELOAD_BOUND.toNanos();
        String chain = presentedChain();
        while (!chain.contains(expected) && System.nanoTime() < giveUp) {
            Thread.sleep(250);
            chain = presentedChain();
        }
        return chain;
    }
}
