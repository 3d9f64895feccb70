package io.dicomspanner.listener;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.common.seal.SealedCodec;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomWriter;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.interop.Echoscu;
import io.dicomspanner.dicom.interop.Findscu;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.listener.aetitle.ScpConfigs;
import io.dicomspanner.listener.server.DimseServer;
import io.dicomspanner.listener.testing.FindscuDebugLog;
import io.dicomspanner.listener.testing.SpanningDatabase;
import io.dicomspanner.listener.tls.TlsEvents;
import io.dicomspanner.schema.testing.TestDatabase;
import io.dicomspanner.testing.TestPki;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;
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
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The listener's DICOM TLS port, met by dcmtk's findscu and echoscu, and the limits per calling AE title. Real
 * RabbitMQ and PostgreSQL; the coordinator is this test's: it answers every span request with the same two studies,
 * except those of calling AE {@code BUSY}, which it holds until the test lets them go. The clock stands still (the
 * rate's refill over time is RequestLimiterTest's).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
class TlsPortAndCallingAeLimitsTest {

    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String REQUESTS = "spanner.requests.listener-tls-" + RUN;
    static final TestDatabase DB = TestDatabase.create("spanner_listener");
    static final String AE = "SPAN_TLS";
    static final Path PKI_DIR = tempDir();
    static final TestPki HOSPITAL = pki(PKI_DIR.resolve("hospital"), "hospital");
    static final TestPki STRANGER = pki(PKI_DIR.resolve("stranger"), "stranger");
    static final TestPki.Issued LISTENER_CERT = issue(() -> HOSPITAL.server("listener"));
    static final TestPki.Issued MODALITY_1 = issue(() -> HOSPITAL.client("modality-1"));
    static final TestPki.Issued MODALITY_2 = issue(() -> HOSPITAL.client("modality-2"));
    static final TestPki.Issued INTRUDER = issue(() -> STRANGER.client("modality-1"));
    // TestPki's expired certificate is a server certificate; the validity check comes before the one on its use.
    static final TestPki.Issued EXPIRED = issue(() -> HOSPITAL.expiredServer("expired-modality"));

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DB::url);
        registry.add("spanner.listener.dicom.bind-address", () -> "127.0.0.1");
        registry.add("spanner.listener.dicom.port", () -> 0);
        registry.add("spanner.listener.tls.port", () -> 0);
        registry.add("spanner.listener.span.requests-routing-key", () -> REQUESTS);
        registry.add("spanner.listener.config-refresh", () -> "1h");
        registry.add("spanner.listener.calling-ae-limits.queries-per-second", () -> 2);
        registry.add("spanner.listener.calling-ae-limits.finds-in-flight", () -> 1);
        String bundle = "spring.ssl.bundle.pem.dicom-server.";
        registry.add(bundle + "keystore.certificate", () -> "file:" + LISTENER_CERT.certificate());
        registry.add(bundle + "keystore.private-key", () -> "file:" + LISTENER_CERT.privateKey());
        registry.add(bundle + "truststore.certificate", () -> "file:" + HOSPITAL.caCertificate());
        String rule = "spanner.listener.tls.calling-ae-subjects";
        registry.add(rule + "[0].ae-title", () -> "MODALITY_1");
        registry.add(rule + "[0].subjects[0]", () -> "CN=modality-1");
        registry.add(rule + "[1].ae-title", () -> "MODALITY_2");
        registry.add(rule + "[1].subjects[0]", () -> "cn=Modality-2");
    }

    /** The one clock, stopped: a rate limit is reached only by the C-FINDs a test sends, however slowly. */
    @TestConfiguration
    static class StoppedClock {
        @Bean
        @Primary
        Clock stoppedClock() {
            return Clock.fixed(Instant.now(), ZoneOffset.UTC);
        }
    }

    @Autowired
    DimseServer server;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ScpConfigs configs;

    @Autowired
    AmqpAdmin admin;

    @Autowired
    ConnectionFactory connectionFactory;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    MeterRegistry meters;

    @Autowired
    SealedCodec codec;

    final BlockingQueue<SpanRequest> held = new LinkedBlockingQueue<>();
    final ListAppender<ILoggingEvent> tlsLog = new ListAppender<>();
    SimpleMessageListenerContainer coordinator;

    @BeforeAll
    void configAndCoordinator() {
        SpanningDatabase db = new SpanningDatabase(DB);
        long source = db.source("NEVER-ASKED-" + RUN, "NEVER_ASKED", 11112, true);
        db.config(AE, true, List.of(), "first_wins", 20, List.of(source));
        configs.refresh();

        admin.declareQueue(new Queue(REQUESTS, false, false, true));
        admin.declareBinding(BindingBuilder.bind(new Queue(REQUESTS))
                .to(new DirectExchange("spanner.requests"))
                .with(REQUESTS));
        coordinator = new SimpleMessageListenerContainer(connectionFactory);
        coordinator.setQueueNames(REQUESTS);
        coordinator.setMessageListener(message -> {
            SpanRequest request = codec.readMessage(message.getBody(), SpanRequest.class);
            if (request.caller().startsWith("ae:BUSY@")) {
                held.add(request);
            } else {
                answer(request);
            }
        });
        coordinator.start();

        Logger logger = (Logger) LoggerFactory.getLogger(TlsEvents.class);
        tlsLog.start();
        logger.addAppender(tlsLog);
    }

    @AfterAll
    void stop() {
        coordinator.stop();
        admin.deleteQueue(REQUESTS);
        ((Logger) LoggerFactory.getLogger(TlsEvents.class)).detachAppender(tlsLog);
        DB.close();
    }

    /** The coordinator's whole answer: two studies, COMPLETE. */
    private void answer(SpanRequest request) {
        List<byte[]> matches =
                List.of(study("TLS-PID-1", "1.2.826.0.1.3680043.10.1"), study("TLS-PID-2", "1.2.826.0.1.3680043.10.2"));
        SpanAnswer answer =
                new SpanAnswer(request.queryId(), matches, true, QueryState.COMPLETE, List.of(), 2, 0, false);
        rabbit.send("", request.replyTo(), new Message(codec.sealMessage(answer)));
    }

    private static byte[] study(String patientId, String studyUid) {
        Attributes a = new Attributes();
        a.setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY");
        a.setString(Tag.PATIENT_ID, VR.LO, patientId);
        a.setString(Tag.STUDY_INSTANCE_UID, VR.UI, studyUid);
        return DicomWriter.encode(a, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void findscuWithAClientCertificateGetsTheSameAnswerOverTlsAsOverThePlainPort() throws Exception {
        double tlsAssociations = count("spanner.listener.tls.associations");

        Findscu.Result overTls = find(server.tlsPort(), "MODALITY_1")
                .tls(MODALITY_1.privateKey(), MODALITY_1.certificate(), HOSPITAL.caCertificate())
                .run();
        Findscu.Result plain = find(server.port(), "MODALITY_1").run();

        assertThat(FindscuDebugLog.finalStatus(overTls)).as(overTls.log()).isEqualTo(Status.SUCCESS);
        assertThat(FindscuDebugLog.finalStatus(plain)).as(plain.log()).isEqualTo(Status.SUCCESS);
        List<String> expected = List.of("TLS-PID-1 1.2.826.0.1.3680043.10.1", "TLS-PID-2 1.2.826.0.1.3680043.10.2");
        assertThat(identifiers(overTls)).isEqualTo(expected);
        assertThat(identifiers(plain)).isEqualTo(expected);
        assertThat(count("spanner.listener.tls.associations")).isEqualTo(tlsAssociations + 1);
    }

    @Test
    void theTlsPortsCertificateExpiryIsExportedForItsBundle() {
        List<Gauge> chains = List.copyOf(
                meters.find("ssl.chain.expiry").tag("bundle", "dicom-server").gauges());

        assertThat(chains).hasSize(1);
        // TestPki's certificates are valid for 2 days from their making
        assertThat(chains.get(0).value()).isBetween(1.0 * 86400, 2.0 * 86400);
    }

    @Test
    void withoutAClientCertificateTheHandshakeIsRefusedLoggedAndCounted() throws Exception {
        assertRefused(
                find(server.tlsPort(), "MODALITY_1").tlsWithoutCertificate(HOSPITAL.caCertificate()),
                TlsEvents.Reason.NO_CLIENT_CERTIFICATE);
    }

    @Test
    void aCertificateFromAnotherAuthorityIsRefusedLoggedAndCounted() throws Exception {
        assertRefused(
                find(server.tlsPort(), "MODALITY_1")
                        .tls(INTRUDER.privateKey(), INTRUDER.certificate(), HOSPITAL.caCertificate()),
                TlsEvents.Reason.UNKNOWN_CA);
    }

    @Test
    void anExpiredClientCertificateIsRefusedLoggedAndCounted() throws Exception {
        assertRefused(
                find(server.tlsPort(), "MODALITY_1")
                        .tls(EXPIRED.privateKey(), EXPIRED.certificate(), HOSPITAL.caCertificate()),
                TlsEvents.Reason.EXPIRED);
    }

    @Test
    void plainDicomSentToTheTlsPortIsRefusedLoggedAndCounted() throws Exception {
        assertRefused(find(server.tlsPort(), "MODALITY_1"), TlsEvents.Reason.NOT_TLS);
    }

    @Test
    void aCertificateMayCallOnlyAsTheAeTitlesTheRuleGivesIt() throws Exception {
        double rejections = count("spanner.listener.tls.subject.rejections");

        Echoscu.Result allowed = Echoscu.to("127.0.0.1", server.tlsPort(), AE)
                .callingAe("MODALITY_2")
                .options(tls(MODALITY_2))
                .run();
        Echoscu.Result otherAe = Echoscu.to("127.0.0.1", server.tlsPort(), AE)
                .callingAe("MODALITY_1")
                .options(tls(MODALITY_2))
                .run();
        Echoscu.Result unlistedAe = Echoscu.to("127.0.0.1", server.tlsPort(), AE)
                .callingAe("NOT_LISTED")
                .options(tls(MODALITY_1))
                .run();

        assertThat(allowed.succeeded()).as(allowed.log()).isTrue();
        for (Echoscu.Result rejected : List.of(otherAe, unlistedAe)) {
            assertThat(rejected.succeeded()).as(rejected.log()).isFalse();
            assertThat(rejected.log())
                    .contains("Result: Rejected Permanent, Source: Service User")
                    .contains("Reason: Calling AE Title Not Recognized");
        }
        assertThat(count("spanner.listener.tls.subject.rejections")).isEqualTo(rejections + 2);
        // and the audit trail names each caller by its AE title, address and certificate subject
        assertThat(auditedRefusals("ae:MODALITY_1", "CN=modality-2")).isEqualTo(1);
        assertThat(auditedRefusals("ae:NOT_LISTED", "CN=modality-1")).isEqualTo(1);
        assertThat(messages())
                .anySatisfy(m -> assertThat(m)
                        .startsWith("Association from MODALITY_1 (")
                        .endsWith("rejected: certificate subject 'CN=modality-2' may not call as this AE title"))
                .anySatisfy(m -> assertThat(m)
                        .startsWith("Association from NOT_LISTED (")
                        .endsWith("rejected: certificate subject 'CN=modality-1' may not call as this AE title"));
    }

    @Test
    void theCFindOverItsCallingAesInFlightLimitIsRefusedA700AndNothingIsSpanned() throws Exception {
        double limited = limited("finds_in_flight");
        CompletableFuture<Findscu.Result> first = CompletableFuture.supplyAsync(() -> {
            try {
                return find(server.port(), "BUSY").run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        SpanRequest running = held.poll(60, TimeUnit.SECONDS);
        assertThat(running).as("the first C-FIND reached the coordinator").isNotNull();

        Findscu.Result second = find(server.port(), "BUSY").run();
        answer(running);
        Findscu.Result firstResult = first.get(60, TimeUnit.SECONDS);

        assertThat(FindscuDebugLog.finalStatus(second)).as(second.log()).isEqualTo(Status.OUT_OF_RESOURCES);
        assertThat(second.log()).contains("(0000,0902) LO [calling AE over its limit of C-FINDs in flight (1)");
        assertThat(held).isEmpty();
        assertThat(limited("finds_in_flight")).isEqualTo(limited + 1);
        assertThat(FindscuDebugLog.finalStatus(firstResult))
                .as(firstResult.log())
                .isEqualTo(Status.SUCCESS);

        // the first one over, its place in flight is free again
        CompletableFuture<Findscu.Result> third = CompletableFuture.supplyAsync(() -> {
            try {
                return find(server.port(), "BUSY").run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        SpanRequest thirdRequest = held.poll(60, TimeUnit.SECONDS);
        assertThat(thirdRequest).as("the third C-FIND reached the coordinator").isNotNull();
        answer(thirdRequest);
        Findscu.Result thirdResult = third.get(60, TimeUnit.SECONDS);
        assertThat(FindscuDebugLog.finalStatus(thirdResult))
                .as(thirdResult.log())
                .isEqualTo(Status.SUCCESS);
        assertThat(identifiers(thirdResult)).hasSize(2);
    }

    @Test
    void theCFindOverItsCallingAesRateIsRefusedA700AndAnotherAeIsNotHeldBack() throws Exception {
        double limited = limited("queries_per_second");

        int first = FindscuDebugLog.finalStatus(find(server.port(), "RAPID").run());
        int second = FindscuDebugLog.finalStatus(find(server.port(), "RAPID").run());
        Findscu.Result third = find(server.port(), "RAPID").run();
        int anotherAe =
                FindscuDebugLog.finalStatus(find(server.port(), "PATIENT").run());

        assertThat(List.of(first, second)).containsExactly(Status.SUCCESS, Status.SUCCESS);
        assertThat(FindscuDebugLog.finalStatus(third)).as(third.log()).isEqualTo(Status.OUT_OF_RESOURCES);
        assertThat(third.log()).contains("(0000,0902) LO [calling AE over its limit of C-FINDs per second (2)");
        assertThat(anotherAe).isEqualTo(Status.SUCCESS);
        assertThat(limited("queries_per_second")).isEqualTo(limited + 1);
    }

    /** Refused associations of the actor with the certificate subject in the audit trail, once they have arrived. */
    private long auditedRefusals(String actor, String certificate) throws InterruptedException {
        return awaitAudit(
                "select count(*) from audit_event where entity_type = 'dimse_association' and outcome = 'refused'"
                        + " and actor = '" + actor + "' and actor_certificate = '" + certificate + "'"
                        + " and actor_address = '127.0.0.1'"
                        + " and objects ->> 'reason' = 'client certificate may not use the calling AE title'",
                1);
    }

    /** The count the query gives once it reaches {@code expected} (or after 10 s). */
    private long awaitAudit(String countQuery, long expected) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long seen = jdbc.sql(countQuery).query(Long.class).single();
        while (seen < expected && System.nanoTime() < until) {
            Thread.sleep(20);
            seen = jdbc.sql(countQuery).query(Long.class).single();
        }
        return seen;
    }

    private void assertRefused(Findscu findscu, TlsEvents.Reason reason) throws Exception {
        String auditedQuery = "select count(*) from audit_event where entity_type = 'dimse_association'"
                + " and actor = 'anonymous' and actor_address = '127.0.0.1' and objects ->> 'reason' = 'tls handshake: "
                + reason.label() + "'";
        long auditedBefore = jdbc.sql(auditedQuery).query(Long.class).single();
        Map<TlsEvents.Reason, Double> before = new EnumMap<>(TlsEvents.Reason.class);
        for (TlsEvents.Reason r : TlsEvents.Reason.values()) {
            before.put(r, failures(r));
        }
        int logged = tlsLog.list.size();
        double tlsAssociations = count("spanner.listener.tls.associations");

        Findscu.Result result = findscu.run();

        assertThat(result.finalStatus()).as(result.log()).isEqualTo(Findscu.NO_FINAL_RESPONSE);
        assertThat(result.responses()).isEmpty();
        // The listener counts on its event loop as findscu sees the alert: wait for the count, then check its value.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (failures(reason) == before.get(reason) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        for (TlsEvents.Reason r : TlsEvents.Reason.values()) {
            assertThat(failures(r)).as(r.label()).isEqualTo(before.get(r) + (r == reason ? 1 : 0));
        }
        assertThat(awaitAudit(auditedQuery, auditedBefore + 1)).isEqualTo(auditedBefore + 1);
        assertThat(count("spanner.listener.tls.associations")).isEqualTo(tlsAssociations);
        List<String> newLines = messages().subList(logged, messages().size());
        assertThat(newLines).hasSize(1);
        assertThat(newLines.get(0))
                .startsWith("TLS handshake from /127.0.0.1:")
                .contains(" refused: " + reason.label() + " (");
    }

    private Findscu find(int port, String callingAe) {
        return Findscu.to("127.0.0.1", port, AE)
                .callingAe(callingAe)
                .level("STUDY")
                .key("PatientID")
                .key("StudyInstanceUID")
                .options("-d");
    }

    private static String[] tls(TestPki.Issued client) {
        return new String[] {
            "+tls",
            client.privateKey().toString(),
            client.certificate().toString(),
            "+cf",
            HOSPITAL.caCertificate().toString()
        };
    }

    private static List<String> identifiers(Findscu.Result result) {
        return result.responses().stream()
                .map(a -> a.getString(Tag.PATIENT_ID) + " " + a.getString(Tag.STUDY_INSTANCE_UID))
                .toList();
    }

    private List<String> messages() {
        return tlsLog.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private double failures(TlsEvents.Reason reason) {
        return meters.get("spanner.listener.tls.handshake.failures")
                .tag("reason", reason.label())
                .counter()
                .count();
    }

    private double limited(String limit) {
        return meters.get("spanner.listener.finds.limited")
                .tag("limit", limit)
                .counter()
                .count();
    }

    private double count(String name) {
        return meters.get(name).counter().count();
    }

    // ---------------------------------------------------------------- certificates

    interface Issue {
        TestPki.Issued issue() throws IOException, InterruptedException;
    }

    private static TestPki.Issued issue(Issue issue) {
        try {
            return issue.issue();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TestPki pki(Path dir, String name) {
        try {
            return TestPki.create(dir, name);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("listener-tls-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
