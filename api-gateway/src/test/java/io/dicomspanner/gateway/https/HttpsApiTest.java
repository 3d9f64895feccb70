package io.dicomspanner.gateway.https;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dicomspanner.testing.Command;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** HTTPS on the gateway by default settings: TLS 1.3 only, the bundle's chain, the security headers. */
class HttpsApiTest extends HttpsGatewayTest {

    static final BundleFiles BUNDLE = new BundleFiles("https-api");

    @DynamicPropertySource
    static void https(DynamicPropertyRegistry registry) {
        BUNDLE.register(registry);
    }

    private String url(String path) {
        return "https://localhost:" + httpsPort() + path;
    }

    @Test
    void curlOverTls13WithTheCaCertificateGetsTheSourcesWithAnApiKey() {
        assertThat(post("/api/v1/sources", jsonOf("""
                        {'name': 'PACS-A', 'ae_title': 'PACSA', 'host': '10.1.2.3', 'port': 104}""")).status()).isEqualTo(201);

        Command curl = Command.run(
                "curl",
                "-sS",
                "-v",
                "--tlsv1.3",
                "--cacert",
                BUNDLE.ca.caCertificate().toString(),
                "-H",
                "Authorization: Api-Key " + adminKey,
                "-w",
                "\n%{http_code}",
                url("/api/v1/sources"));

        assertThat(curl.exitCode()).as(curl.output()).isZero();
        String[] bodyAndStatus = curl.out().split("\n");
        assertThat(bodyAndStatus[bodyAndStatus.length - 1]).isEqualTo("200");
        JsonNode page = json.readTree(bodyAndStatus[0]);
        assertThat(page.get("total_items").asLong()).isEqualTo(1);
        assertThat(page.get("items").get(0).get("name").asString()).isEqualTo("PACS-A");
        assertThat(curl.err()).contains("SSL connection using TLSv1.3 / ");
    }

    @Test
    void tls12IsRefusedByDefault() {
        Command curl = Command.run(
                "curl",
                "-sS",
                "--tlsv1.2",
                "--tls-max",
                "1.2",
                "--cacert",
                BUNDLE.ca.caCertificate().toString(),
                url("/actuator/health"));

        // 35: CURLE_SSL_CONNECT_ERROR; the server answers the ClientHello with a protocol_version alert
        assertThat(curl.exitCode()).as(curl.output()).isEqualTo(35);
        assertThat(curl.err()).contains("curl: (35) ").contains("alert protocol version");
        assertThat(curl.out()).isEmpty();
    }

    @Test
    void opensslShowsTheChainServerThenCa() {
        Command openssl = Command.run(List.of(
                "openssl",
                "s_client",
                "-connect",
                "127.0.0.1:" + httpsPort(),
                "-servername",
                "localhost",
                "-showcerts",
                "-CAfile",
                BUNDLE.ca.caCertificate().toString()));

        assertThat(openssl.exitCode()).as(openssl.output()).isZero();
        assertThat(openssl.out())
                .contains("\n 0 s:CN = spanner-gateway\n   i:CN = https-api Test CA\n")
                .contains("\n 1 s:CN = https-api Test CA\n   i:CN = https-api Test CA\n")
                .contains("\nNew, TLSv1.3, Cipher is ")
                .contains("Verify return code: 0 (ok)");
    }

    @Test
    void httpsAnswersCarryHstsAndTheSecurityHeadersPlainHttpAnswersAllButHsts() {
        Map<String, String> headers = httpsHeaders("/api/v1/sources", adminKey);

        assertThat(headers.get(":status")).isEqualTo("200");

        assertThat(headers)
                .containsEntry("strict-transport-security", "max-age=31536000")
                .containsEntry("x-content-type-options", "nosniff")
                .containsEntry("x-frame-options", "DENY")
                .containsEntry("referrer-policy", "no-referrer")
                .containsEntry("cache-control", "no-store");

        Reply plain = get("/api/v1/sources");
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.header("Strict-Transport-Security")).isNull();
        assertThat(plain.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(plain.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(plain.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(plain.header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void errorAnswersOverHttpsCarryTheHeadersToo() {
        Map<String, String> headers = httpsHeaders("/api/v1/sources", null);

        assertThat(headers.get(":status")).isEqualTo("401");
        assertThat(headers)
                .containsEntry("strict-transport-security", "max-age=31536000")
                .containsEntry("cache-control", "no-store");
    }

    @Test
    void plainHttpListensOnLoopbackOnlyAndHttpsOnEveryInterface() {
        Command plain = Command.run("ss", "-Hltn", "sport = :" + port);
        Command https = Command.run("ss", "-Hltn", "sport = :" + httpsPort());

        // an IPv4 socket, or Java's dual-stack socket bound to the IPv4-mapped loopback address: loopback either way
        assertThat(localAddresses(plain.out())).singleElement().isIn("127.0.0.1:" + port, "[::ffff:127.0.0.1]:" + port);
        assertThat(localAddresses(https.out())).containsExactly("*:" + httpsPort());
    }

    @Test
    void bothConnectorsRunTheConfiguredRequestThreadsNotTomcatsDefault() {
        // server.tomcat.threads.max of application.yaml; Tomcat's own default for a connector is 200
        assertThat(connector(false).getProperty("maxThreads")).isEqualTo(48);
        assertThat(connector(true).getProperty("maxThreads")).isEqualTo(48);
    }

    @Test
    void bothConnectorsHoldTheConfiguredConnectionBuffersNotTomcatsDefaults() {
        // spanner.connections.buffer-size of application.yaml; Tomcat's own defaults are 8,192
        for (boolean secure : new boolean[] {false, true}) {
            Connector connector = connector(secure);
            assertThat(connector.getProperty("socket.appReadBufSize")).hasToString("4096");
            assertThat(connector.getProperty("socket.appWriteBufSize")).hasToString("4096");
            assertThat(connector.getProtocolHandler()).isInstanceOf(BufferSizedHttp11NioProtocol.class);
            assertThat(connector.getProtocolHandler().getDesiredBufferSize()).isEqualTo(4096);
        }
    }

    @Test
    void anAnswerOfManyBuffersArrivesWholeOverHttpsAndPlainHttp() {
        for (int i = 0; i < 60; i++) {
            String name = "PACS-%02d".formatted(i);
            assertThat(post("/api/v1/sources", jsonOf("""
                            {'name': '%s', 'ae_title': 'AE%02d', 'host': '10.1.2.%d', 'port': 104}""".formatted(name, i, i)))
                            .status())
                    .isEqualTo(201);
        }
        Command curl = Command.run(
                "curl",
                "-sS",
                "--cacert",
                BUNDLE.ca.caCertificate().toString(),
                "-H",
                "Authorization: Api-Key " + adminKey,
                url("/api/v1/sources?size=100"));
        Reply plain = get("/api/v1/sources?size=100");

        assertThat(curl.exitCode()).as(curl.output()).isZero();
        assertThat(plain.status()).isEqualTo(200);
        // several times the 4 KB response and socket buffers
        assertThat(plain.raw().body().length()).isGreaterThan(3 * 4096);
        assertThat(curl.out()).isEqualTo(plain.raw().body());
        JsonNode page = json.readTree(curl.out());
        assertThat(page.get("total_items").asLong()).isEqualTo(60);
        List<String> names = new java.util.ArrayList<>();
        page.get("items").forEach(item -> names.add(item.get("name").asString()));
        assertThat(names)
                .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 60)
                        .mapToObj(i -> "PACS-%02d".formatted(i))
                        .toList());
    }

    @Test
    void theCertificateExpiryGaugeOfTheBundleIsExported() {
        Command certificate =
                Command.run("openssl", "x509", "-in", BUNDLE.certificate.toString(), "-noout", "-serial", "-enddate");
        Matcher serial = Pattern.compile("serial=([0-9A-F]+)").matcher(certificate.out());
        Matcher end = Pattern.compile("notAfter=(.+)").matcher(certificate.out());
        assertThat(serial.find() && end.find()).as(certificate.output()).isTrue();
        Instant notAfter = Instant.from(DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss yyyy 'GMT'", Locale.ROOT)
                .withZone(ZoneOffset.UTC)
                .parse(end.group(1).strip()));

        String metrics = get("/actuator/prometheus").raw().body();
        Matcher gauge = Pattern.compile("(?m)^ssl_chain_expiry_seconds\\{([^}]*)} (\\S+)$")
                .matcher(metrics);
        Map<String, Double> series = new LinkedHashMap<>();
        while (gauge.find()) {
            series.put(gauge.group(1), Double.parseDouble(gauge.group(2)));
        }
        // The chain is the server's certificate and its CA's, both valid for two days: the gauge names the one that
        // expires first, which is the CA's unless both end within the same second.
        Command ca =
                Command.run("openssl", "x509", "-in", BUNDLE.ca.caCertificate().toString(), "-noout", "-serial");
        Matcher caSerial = Pattern.compile("serial=([0-9A-F]+)").matcher(ca.out());
        assertThat(caSerial.find()).as(ca.output()).isTrue();
        List<String> either = List.of(serial.group(1), caSerial.group(1)).stream()
                // the serial as a number in hex, without openssl's leading zeros
                .map(s -> "bundle=\"spanner-https\",certificate=\"" + new BigInteger(s, 16).toString(16)
                        + "\",chain=\"ssl\"")
                .toList();

        assertThat(series).hasSize(1);
        assertThat(series.keySet()).singleElement().isIn(either);
        double expected = notAfter.getEpochSecond() - Instant.now().getEpochSecond();
        assertThat(series.values().iterator().next()).isCloseTo(expected, within(86_400.0));
    }

    private static List<String> localAddresses(String ssOutput) {
        return ssOutput.lines()
                .filter(line -> !line.isBlank())
                .map(line -> line.trim().split("\\s+")[3])
                .toList();
    }

    /** The response headers of a GET over HTTPS, with the API key given (none if null). */
    private Map<String, String> httpsHeaders(String path, String key) {
        List<String> command = new java.util.ArrayList<>(List.of(
                "curl",
                "-sS",
                "-o",
                "/dev/null",
                "-D",
                "-",
                "--cacert",
                BUNDLE.ca.caCertificate().toString()));
        if (key != null) {
            command.addAll(List.of("-H", "Authorization: Api-Key " + key));
        }
        command.add(url(path));
        Command curl = Command.run(command);
        assertThat(curl.exitCode()).as(curl.output()).isZero();
        return headers(curl.out());
    }

    /** Response headers as curl -D prints them, names in lower case; ":status" is the status code. */
    static Map<String, String> headers(String dump) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : dump.split("\r\n")) {
            if (line.startsWith("HTTP/")) {
                headers.put(":status", line.split(" ")[1]);
            } else if (line.contains(":")) {
                int colon = line.indexOf(':');
                headers.put(
                        line.substring(0, colon).toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).strip());
            }
        }
        return headers;
    }
}
