package io.dicomspanner.gateway.https;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.testing.Command;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@code spanner.https.allow-tls12: true}: clients limited to TLS 1.2 get in; TLS 1.3 clients still get 1.3. */
class HttpsTls12AllowedTest extends HttpsGatewayTest {

    static final BundleFiles BUNDLE = new BundleFiles("https-tls12");

    @DynamicPropertySource
    static void https(DynamicPropertyRegistry registry) {
        BUNDLE.register(registry);
        registry.add("spanner.https.allow-tls12", () -> "true");
    }

    @Test
    void aTls12ClientIsAccepted() {
        Command curl = curl("--tlsv1.2", "--tls-max", "1.2");

        assertThat(curl.exitCode()).as(curl.output()).isZero();
        assertThat(curl.out()).isEqualTo("200");
        assertThat(curl.err()).contains("SSL connection using TLSv1.2 / ");
    }

    @Test
    void aClientThatCanSpeakTls13StillGetsIt() {
        Command curl = curl("--tlsv1.2");

        assertThat(curl.exitCode()).as(curl.output()).isZero();
        assertThat(curl.err()).contains("SSL connection using TLSv1.3 / ");
    }

    private Command curl(String... versions) {
        var command = new java.util.ArrayList<>(java.util.List.of("curl", "-sS", "-v", "-o", "/dev/null"));
        command.addAll(java.util.List.of(versions));
        command.addAll(java.util.List.of(
                "--cacert",
                BUNDLE.ca.caCertificate().toString(),
                "-w",
                "%{http_code}",
                "https://localhost:" + httpsPort() + "/actuator/health/liveness"));
        return Command.run(command);
    }
}
