package io.dicomspanner.listener;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.MessageCodec;
import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.common.phi.PhiTokenizer;
import io.dicomspanner.dicom.interop.Findscu;
import io.dicomspanner.listener.aetitle.ScpConfigs;
import io.dicomspanner.listener.server.DimseServer;
import io.dicomspanner.listener.testing.SpanningDatabase;
import io.dicomspanner.schema.testing.TestDatabase;
import io.dicomspanner.testing.FreePorts;
import io.dicomspanner.testing.Rsyslog;
import io.dicomspanner.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The listener with the audit export on, sending to a real rsyslogd over TCP: a C-FIND is a Query under its SOP class
 * with the calling AE title as requestor and its PatientID as a token, and a TLS handshake refused is a Security
 * Alert (Node Authentication). Real RabbitMQ and PostgreSQL; the coordinator is this test's and answers "no matches".
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
class ListenerAtnaExportTest {

    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String REQUESTS = "spanner.requests.listener-atna-" + RUN;
    static final TestDatabase DB = TestDatabase.create("spanner_listener");
    static final String AE = "SPAN_ATNA";
    static final int SYSLOG_PORT = FreePorts.one();
    static final Path DIR = tempDir();
    static final TestPki HOSPITAL = pki(DIR.resolve("hospital"), "hospital");
    static final TestPki STRANGER = pki(DIR.resolve("stranger"), "stranger");
    static final String SECRET = "listener-atna-test-secret-0123456789abcdef";
    static final Pattern QUERY = Pattern.compile("<ParticipantObjectQuery>([^<]*)</ParticipantObjectQuery>");
    static final Duration WAIT = Duration.ofSeconds(20);

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) throws Exception {
        TestPki.Issued listener = HOSPITAL.server("listener");
        registry.add("spring.datasource.url", DB::url);
        registry.add("spanner.listener.dicom.bind-address", () -> "127.0.0.1");
        registry.add("spanner.listener.dicom.port", () -> 0);
        registry.add("spanner.listener.tls.port", () -> 0);
        registry.add("spanner.listener.span.requests-routing-key", () -> REQUESTS);
        registry.add("spanner.listener.config-refresh", () -> "1h");
        String bundle = "spring.ssl.bundle.pem.dicom-server.";
        registry.add(bundle + "keystore.certificate", () -> "file:" + listener.certificate());
        registry.add(bundle + "keystore.private-key", () -> "file:" + listener.privateKey());
        registry.add(bundle + "truststore.certificate", () -> "file:" + HOSPITAL.caCertificate());
        registry.add("spanner.audit.atna.enabled", () -> "true");
        registry.add("spanner.audit.atna.transport", () -> "tcp");
        registry.add("spanner.audit.atna.host", () -> "127.0.0.1");
        registry.add("spanner.audit.atna.port", () -> SYSLOG_PORT);
        registry.add("spanner.audit.atna.shutdown-timeout", () -> "1s");
        registry.add("spanner.phi.token-secret", () -> SECRET);
    }

    @Autowired
    DimseServer server;

    @Autowired
    ScpConfigs configs;

    @Autowired
    AmqpAdmin admin;

    @Autowired
    ConnectionFactory connectionFactory;

    @Autowired
    RabbitTemplate rabbit;

    final MessageCodec codec = MessageCodec.instance();
    SimpleMessageListenerContainer coordinator;
    Rsyslog rsyslog;
    long configId;

    @BeforeAll
    void receiverConfigAndCoordinator() throws Exception {
        rsyslog = Rsyslog.tcp(DIR, SYSLOG_PORT);
        SpanningDatabase db = new SpanningDatabase(DB);
        long source = db.source("NEVER-ASKED-" + RUN, "NEVER_ASKED", 11112, true);
        configId = db.config(AE, true, List.of(), "first_wins", 20, List.of(source));
        configs.refresh();
        admin.declareQueue(new Queue(REQUESTS, false, false, true));
        admin.declareBinding(BindingBuilder.bind(new Queue(REQUESTS))
                .to(new DirectExchange("spanner.requests"))
                .with(REQUESTS));
        coordinator = new SimpleMessageListenerContainer(connectionFactory);
        coordinator.setQueueNames(REQUESTS);
        coordinator.setMessageListener(message -> {
            SpanRequest request = codec.read(message.getBody(), SpanRequest.class);
            SpanAnswer none =
                    new SpanAnswer(request.queryId(), List.of(), true, QueryState.COMPLETE, List.of(), 0, 0, false);
            rabbit.send("", request.replyTo(), new Message(codec.write(none)));
        });
        coordinator.start();
    }

    @AfterAll
    void stop() {
        coordinator.stop();
        admin.deleteQueue(REQUESTS);
        rsyslog.close();
        DB.close();
    }

    @Test
    void aCfindIsAQueryOfItsSopClassFromTheCallingAeWithThePatientIdAsItsToken() throws Exception {
        Findscu.Result result = Findscu.to("127.0.0.1", server.port(), AE)
                .callingAe("MODALITY_7")
                .level("STUDY")
                .key("PatientID", "PID-77")
                .key("StudyInstanceUID")
                .run();
        assertThat(result.responses()).isEmpty();

        String xml = awaitMessage("csd-code=\"110112\"");
        assertThat(xml)
                .contains("<ActiveParticipant UserID=\"MODALITY_7\" UserIsRequestor=\"true\""
                        + " NetworkAccessPointID=\"127.0.0.1\" NetworkAccessPointTypeCode=\"2\"><RoleIDCode"
                        + " csd-code=\"110153\" codeSystemName=\"DCM\" originalText=\"Source Role ID\"/>")
                .contains("<ActiveParticipant UserID=\"dimse-scp-listener\"")
                .contains("<ParticipantObjectIdentification ParticipantObjectID=\"1.2.840.10008.5.1.4.1.2.2.1\""
                        + " ParticipantObjectTypeCode=\"2\" ParticipantObjectTypeCodeRole=\"3\">");
        Matcher query = QUERY.matcher(xml);
        assertThat(query.find()).isTrue();
        String token = PhiTokenizer.withSecret(SECRET).patientId("PID-77");
        assertThat(new String(Base64.getDecoder().decode(query.group(1)), StandardCharsets.UTF_8))
                .isEqualTo("config=" + configId + "&level=STUDY&PatientID=" + token + "&includefield=0020000D");
        assertThat(rsyslog.received()).noneMatch(m -> m.msg().contains("PID-77"));
    }

    @Test
    void aTlsHandshakeWithACertificateOfAnotherAuthorityIsANodeAuthenticationAlert() throws Exception {
        TestPki.Issued intruder = STRANGER.client("modality-1");
        Findscu.Result result = Findscu.to("127.0.0.1", server.tlsPort(), AE)
                .callingAe("MODALITY_1")
                .level("STUDY")
                .key("PatientID")
                .tls(intruder.privateKey(), intruder.certificate(), HOSPITAL.caCertificate())
                .run();
        assertThat(result.responses()).isEmpty();

        String xml = awaitMessage("TLS handshake refused: unknown_ca");
        assertThat(xml)
                .contains("EventOutcomeIndicator=\"4\"><EventID csd-code=\"110113\" codeSystemName=\"DCM\""
                        + " originalText=\"Security Alert\"/><EventTypeCode csd-code=\"110126\""
                        + " codeSystemName=\"DCM\" originalText=\"Node Authentication\"/>"
                        + "<EventOutcomeDescription>TLS handshake refused: unknown_ca</EventOutcomeDescription>")
                .contains("<ActiveParticipant UserID=\"127.0.0.1\" UserIsRequestor=\"true\""
                        + " NetworkAccessPointID=\"127.0.0.1\" NetworkAccessPointTypeCode=\"2\"/>");
        String pri = rsyslog.received().stream()
                .filter(m -> m.msg().contains("unknown_ca"))
                .findFirst()
                .orElseThrow()
                .pri();
        assertThat(pri).isEqualTo("84");
    }

    @Test
    void theServiceStartIsAnApplicationActivity() throws Exception {
        String xml = awaitMessage("originalText=\"Application Start\"");
        assertThat(xml)
                .contains("<EventID csd-code=\"110100\" codeSystemName=\"DCM\" originalText=\"Application Activity\"/>"
                        + "<EventTypeCode csd-code=\"110120\" codeSystemName=\"DCM\""
                        + " originalText=\"Application Start\"/>")
                .contains("<AuditSourceIdentification AuditSourceID=\"dimse-scp-listener\">");
    }

    private String awaitMessage(String needle) throws Exception {
        long giveUp = System.nanoTime() + WAIT.toNanos();
        while (true) {
            for (Rsyslog.Received message : rsyslog.received()) {
                String xml = Rsyslog.xml(message);
                if (xml.contains(needle)) {
                    assertThat(message.appName()).isEqualTo("dimse-scp-listener");
                    assertThat(message.msgId()).isEqualTo("IHE+RFC-3881");
                    return xml;
                }
            }
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("no audit message with " + needle + " among "
                        + rsyslog.received().stream().map(Rsyslog::xml).toList());
            }
            Thread.sleep(100);
        }
    }

    private static TestPki pki(Path dir, String name) {
        try {
            return TestPki.create(dir, name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("listener-atna-");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
