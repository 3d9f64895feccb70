package io.dicomspanner.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.gateway.GatewayTest;
import io.dicomspanner.testing.Command;
import io.dicomspanner.testing.FreePorts;
import io.dicomspanner.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The Docker deployment's edge, for real: HAProxy runs the API part of docker/haproxy/haproxy.cfg (Docker's DNS and
 * the replica template replaced by this test's gateway, the certificate by a test CA's), ends TLS 1.3, and forwards
 * the client's address to a gateway that trusts the proxy's address (127.0.0.1) only. Clients send from 127.0.0.3, so
 * the address the gateway records differs from the proxy's.
 */
@TestPropertySource(properties = "spanner.edge.trusted-proxies=127.0.0.1")
class EdgeProxyTest extends GatewayTest {

    private static final String CLIENT = "127.0.0.3";
    private static final int EDGE_HTTPS = FreePorts.one();
    private static Process haproxy;
    private static Path dir;
    private static TestPki pki;

    @BeforeEach
    void edgeInFrontOfThisGateway() throws Exception {
        if (haproxy != null) {
            return;
        }
        dir = Files.createTempDirectory("gateway-edge");
        pki = TestPki.create(dir, "edge");
        Path edgePem = pki.combined(pki.server("spanner-edge"));
        String cfg = Files.readString(Path.of("../docker/haproxy/haproxy.cfg"), StandardCharsets.UTF_8);
        cfg = cfg.substring(0, cfg.indexOf("# The same over plain HTTP"))
                .replaceAll("(?s)resolvers docker\n.*?\n\n", "")
                // 20000 connections need more file descriptors than a test process may open
                .replace("  maxconn 20000\n", "  maxconn 1000\n")
                .replace(" init-addr none resolvers docker check inter 5s", " check inter 1s")
                .replace(
                        "bind :8443 ssl crt /usr/local/etc/haproxy/tls/edge.pem",
                        "bind 127.0.0.1:" + EDGE_HTTPS + " ssl crt " + edgePem);
        cfg += """
                backend api-gateway
                  mode http
                  option httpchk GET /actuator/health/readiness
                  http-check expect status 200
                  server gateway1 127.0.0.1:%d
                """.formatted(port);
        Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, cfg);
        haproxy = new ProcessBuilder("haproxy", "-db", "-f", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.log").toFile())
                .start();
        long giveUp = System.nanoTime() + 30_000_000_000L;
        while (!curl(List.of("-o", "/dev/null", "-w", "%{http_code}"), "/actuator/health/liveness")
                        .out()
                        .equals("200")
                && System.nanoTime() < giveUp) {
            assertThat(haproxy.isAlive())
                    .as(Files.readString(dir.resolve("haproxy.log")))
                    .isTrue();
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stopEdge() throws InterruptedException {
        if (haproxy != null) {
            haproxy.destroy();
            haproxy.waitFor(10, TimeUnit.SECONDS);
            haproxy = null;
        }
    }

    @Test
    void throughTheEdgeOverTls13TheClientsAddressIsAuditedNotTheProxysNorWhatTheClientClaims() throws Exception {
        Command created = curl(
                List.of(
                        "-v",
                        "--tlsv1.3",
                        "--fail-with-body",
                        "-H",
                        "Authorization: Api-Key " + adminKey,
                        "-H",
                        "X-Forwarded-For: 203.0.113.9",
                        "-H",
                        "Content-Type: application/json",
                        "-d",
                        jsonOf("{'name': 'PACS-A', 'ae_title': 'PACSA', 'host': '10.1.2.3', 'port': 104}")),
                "/api/v1/sources");

        assertThat(created.exitCode()).as(created.output()).isZero();
        assertThat(created.err()).contains("SSL connection using TLSv1.3 / ");
        JsonNode event = get("/api/v1/audit-events?size=1").body().get("items").get(0);
        assertThat(event.get("entity_id").asLong())
                .isEqualTo(json.readTree(created.out()).get("id").asLong());
        assertThat(event.get("actor_address").asString()).isEqualTo(CLIENT);
    }

    @Test
    void theEdgeRefusesTls12() {
        Command tls12 = curl(List.of("--tlsv1.2", "--tls-max", "1.2"), "/actuator/health/liveness");

        assertThat(tls12.exitCode()).as(tls12.output()).isEqualTo(35);
        assertThat(tls12.err()).contains("curl: (35) ").contains("alert protocol version");
    }

    @Test
    void answersThroughTheEdgeCarryHstsSinceTheEdgeSaysHttps() {
        Command headers = curl(List.of("-o", "/dev/null", "-D", "-"), "/actuator/health/liveness");

        assertThat(headers.out()).contains("\r\nstrict-transport-security: max-age=31536000\r\n");
    }

    private static Command curl(List<String> options, String path) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--interface", CLIENT));
        command.addAll(options);
        command.addAll(List.of("--cacert", pki.caCertificate().toString(), "https://localhost:" + EDGE_HTTPS + path));
        return Command.run(command);
    }
}
