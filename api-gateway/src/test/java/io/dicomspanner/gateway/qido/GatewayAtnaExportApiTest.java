package io.dicomspanner.gateway.qido;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.phi.PhiTokenizer;
import io.dicomspanner.testing.FreePorts;
import io.dicomspanner.testing.Rsyslog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The gateway with the audit export on, sending to a real rsyslogd over TCP: what a QIDO-RS search, a refused API key,
 * a key without the scope and an admin change each send, and that no PHI reaches the repository in clear text.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class GatewayAtnaExportApiTest extends QidoApiTest {

    private static final int PORT = FreePorts.one();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern QUERY = Pattern.compile("<ParticipantObjectQuery>([^<]*)</ParticipantObjectQuery>");
    private static Path dir;
    private static Rsyslog rsyslog;

    @Autowired
    PhiTokenizer tokenizer;

    @BeforeAll
    static void startReceiver() throws Exception {
        dir = Files.createTempDirectory("gateway-atna");
        rsyslog = Rsyslog.tcp(dir, PORT);
    }

    @AfterAll
    static void stopReceiver() {
        rsyslog.close();
    }

    @DynamicPropertySource
    static void atna(DynamicPropertyRegistry registry) {
        registry.add("spanner.audit.atna.enabled", () -> "true");
        registry.add("spanner.audit.atna.transport", () -> "tcp");
        registry.add("spanner.audit.atna.host", () -> "127.0.0.1");
        registry.add("spanner.audit.atna.port", () -> PORT);
        registry.add("spanner.audit.atna.audit-source-id", () -> "spanner-gw");
        registry.add("spanner.audit.atna.enterprise-site-id", () -> "HOSPITAL-A");
        registry.add("spanner.audit.atna.shutdown-timeout", () -> "1s");
    }

    @Test
    void aQidoSearchIsAQueryWhosePatientIdIsItsToken() throws Exception {
        Reply accepted = search("/api/v1/spanner/qido/studies?PatientID=12345&async=true", null);
        assertThat(accepted.status()).isEqualTo(202);

        String xml = awaitMessage("csd-code=\"110112\"");
        assertThat(xml)
                .contains("<EventIdentification EventActionCode=\"E\" EventDateTime=\"")
                .contains("EventOutcomeIndicator=\"0\"><EventID csd-code=\"110112\" codeSystemName=\"DCM\""
                        + " originalText=\"Query\"/></EventIdentification>")
                .contains("<ActiveParticipant UserID=\"api-key:viewer\" UserIsRequestor=\"true\""
                        + " NetworkAccessPointID=\"127.0.0.1\" NetworkAccessPointTypeCode=\"2\"><RoleIDCode"
                        + " csd-code=\"110153\" codeSystemName=\"DCM\" originalText=\"Source Role ID\"/>")
                .contains("<ActiveParticipant UserID=\"api-gateway\"")
                .contains(
                        "<AuditSourceIdentification AuditEnterpriseSiteID=\"HOSPITAL-A\" AuditSourceID=\"spanner-gw\">")
                .contains("<ParticipantObjectIdentification ParticipantObjectID=\"1.2.840.10008.5.1.4.1.2.2.1\""
                        + " ParticipantObjectTypeCode=\"2\" ParticipantObjectTypeCodeRole=\"3\">"
                        + "<ParticipantObjectIDTypeCode csd-code=\"110181\" codeSystemName=\"DCM\""
                        + " originalText=\"SOP Class UID\"/>");
        Matcher query = QUERY.matcher(xml);
        assertThat(query.find()).isTrue();
        assertThat(new String(Base64.getDecoder().decode(query.group(1)), StandardCharsets.UTF_8))
                .isEqualTo("config=1&level=STUDY&resource=ALL_STUDIES&PatientID=" + tokenizer.patientId("12345")
                        + "&limit=1000");
        assertThat(rsyslog.received()).noneMatch(m -> m.msg().contains("12345"));
    }

    @Test
    void anUnknownApiKeyIsAFailedLoginFromTheClientsAddress() throws Exception {
        Reply refused = send("GET", "/api/v1/config/spanner", "not-a-key", null);
        assertThat(refused.status()).isEqualTo(401);

        String xml = awaitMessage("unknown or revoked API key for GET /api/v1/config/spanner");
        assertThat(xml)
                .contains("EventOutcomeIndicator=\"4\"><EventID csd-code=\"110114\" codeSystemName=\"DCM\""
                        + " originalText=\"User Authentication\"/><EventTypeCode csd-code=\"110122\""
                        + " codeSystemName=\"DCM\" originalText=\"Login\"/><EventOutcomeDescription>unknown or"
                        + " revoked API key for GET /api/v1/config/spanner</EventOutcomeDescription>")
                .contains("<ActiveParticipant UserID=\"api-key:unknown\" UserIsRequestor=\"true\""
                        + " NetworkAccessPointID=\"127.0.0.1\" NetworkAccessPointTypeCode=\"2\"/>")
                .doesNotContain("not-a-key");
        assertThat(pri("unknown or revoked API key for GET")).isEqualTo("84");
    }

    @Test
    void aKeyWithoutTheScopeIsASecurityAlertOfRestrictedFunction() throws Exception {
        Reply forbidden = send("GET", "/api/v1/config/spanner", queryKey, null);
        assertThat(forbidden.status()).isEqualTo(403);

        String xml = awaitMessage("API key lacks the &apos;admin&apos; scope", "API key lacks the 'admin' scope");
        assertThat(xml)
                .contains("<EventID csd-code=\"110113\" codeSystemName=\"DCM\" originalText=\"Security Alert\"/>"
                        + "<EventTypeCode csd-code=\"110132\" codeSystemName=\"DCM\""
                        + " originalText=\"Use of Restricted Function\"/>")
                .contains("<ActiveParticipant UserID=\"api-key:viewer\" UserIsRequestor=\"true\""
                        + " NetworkAccessPointID=\"127.0.0.1\" NetworkAccessPointTypeCode=\"2\"/>")
                .contains("<ParticipantObjectIdentification ParticipantObjectID=\"/api/v1/config/spanner\""
                        + " ParticipantObjectTypeCode=\"2\" ParticipantObjectTypeCodeRole=\"13\">");
    }

    @Test
    void aCommittedAdminChangeIsANetworkConfigurationAlertNamingTheActor() throws Exception {
        // the config of the tests, created by the admin key before each test
        String xml = awaitMessage("urn:dicom-query-spanner:spanner_config:1");
        assertThat(xml)
                .contains("EventOutcomeIndicator=\"0\"><EventID csd-code=\"110113\" codeSystemName=\"DCM\""
                        + " originalText=\"Security Alert\"/><EventTypeCode csd-code=\"110128\""
                        + " codeSystemName=\"DCM\" originalText=\"Network Configuration\"/>"
                        + "<EventOutcomeDescription>spanner_config 1 created</EventOutcomeDescription>")
                .contains("<ActiveParticipant UserID=\"api-key:test-admin\" UserIsRequestor=\"true\""
                        + " NetworkAccessPointID=\"127.0.0.1\" NetworkAccessPointTypeCode=\"2\"/>")
                .contains("ParticipantObjectTypeCode=\"2\" ParticipantObjectTypeCodeRole=\"5\">");
    }

    /** The XML of the first message received whose text contains one of {@code needles}, waiting for it. */
    private static String awaitMessage(String... needles) throws Exception {
        long giveUp = System.nanoTime() + WAIT.toNanos();
        while (true) {
            for (Rsyslog.Received message : rsyslog.received()) {
                String xml = Rsyslog.xml(message);
                for (String needle : needles) {
                    if (xml.contains(needle)) {
                        assertThat(message.msgId()).isEqualTo("IHE+RFC-3881");
                        assertThat(message.appName()).isEqualTo("api-gateway");
                        return xml;
                    }
                }
            }
            if (System.nanoTime() > giveUp) {
                List<String> all = rsyslog.received().stream().map(Rsyslog::xml).toList();
                throw new AssertionError("no audit message with " + List.of(needles) + " among " + all);
            }
            Thread.sleep(100);
        }
    }

    private static String pri(String needle) throws Exception {
        return rsyslog.received().stream()
                .filter(m -> m.msg().contains(needle))
                .findFirst()
                .orElseThrow()
                .pri();
    }
}
