package io.dicomspanner.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.audit.AuditLog;
import io.dicomspanner.common.audit.AuditOutcome;
import io.dicomspanner.common.audit.AuditRecord;
import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.common.messaging.TopologyDeclarations;
import io.dicomspanner.common.phi.PhiTokenizer;
import io.dicomspanner.common.query.EntryPoint;
import io.dicomspanner.common.query.QueryKey;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.common.querylog.QueryLogEntry;
import io.dicomspanner.common.querylog.QueryLogWriter;
import io.dicomspanner.dicom.query.QidoResource;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.gateway.ScratchPostgres;
import io.dicomspanner.gateway.apikey.ApiKeyRequest;
import io.dicomspanner.gateway.apikey.ApiKeyService;
import io.dicomspanner.gateway.span.SpanProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * PostgreSQL stops in the middle of a run: searches, reads and refusals go on being served and audited, their audit
 * events and the query log rows wait in the outboxes on disk, and once PostgreSQL is back every one of them arrives,
 * exactly once, with its fields. The gateway runs against a PostgreSQL cluster of this test's own, which it stops and
 * starts; the machine's PostgreSQL is not touched.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class AuditOutboxOutageTest {

    private static final ScratchPostgres POSTGRES = ScratchPostgres.create("spanner_outage");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", POSTGRES::jdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.hikari.maximum-pool-size", () -> "3");
        registry.add("spring.datasource.hikari.connection-timeout", () -> "1000");
        registry.add("spanner.outbox.drain-interval", () -> "200ms");
        // What the searches need from PostgreSQL (their key, their config) is remembered from before the outage.
        registry.add("spanner.api-keys.verification-cache-ttl", () -> "1h");
        registry.add("spanner.qido.config-cache-ttl", () -> "1h");
    }

    @AfterAll
    static void dropCluster() {
        POSTGRES.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JsonMapper json;

    @Autowired
    ApiKeyService apiKeys;

    @Autowired
    AuditLog auditLog;

    @Autowired
    QueryLogWriter queryLog;

    @Autowired
    PhiTokenizer tokenizer;

    @Autowired
    MeterRegistry meters;

    @Autowired
    RabbitAdmin rabbitAdmin;

    @Autowired
    SpanProperties span;

    private final HttpClient http = HttpClient.newHttpClient();

    /** A request queue as a coordinator declares it, so that the searches are published. */
    @BeforeEach
    void requestQueue() {
        rabbitAdmin.declareExchange(TopologyDeclarations.requestsExchange(span.requestsExchange()));
        rabbitAdmin.declareQueue(TopologyDeclarations.requestsQueue(span.requestsRoutingKey(), 10_000));
        rabbitAdmin.declareBinding(
                TopologyDeclarations.requestsBinding(span.requestsExchange(), span.requestsRoutingKey()));
    }

    @AfterEach
    void noRequestQueue() {
        rabbitAdmin.deleteQueue(span.requestsRoutingKey());
        rabbitAdmin.deleteExchange(span.requestsExchange());
    }

    @Test
    void everyAuditEventAndQueryLogRowOfTheOutageArrivesOnceWhenPostgresIsBack() throws Exception {
        String admin = apiKeys.create(new ApiKeyRequest("ops", List.of("admin")), Actor.system("test"))
                .key();
        assertThat(send("POST", "/api/v1/config/spanner", admin, "{\"name\": \"A\"}")
                        .statusCode())
                .isEqualTo(201);
        assertThat(search("P-BEFORE", admin).statusCode()).isEqualTo(202);
        awaitCount(() -> count("select count(*) from audit_event where entity_type = 'query'"), 1);

        POSTGRES.stop();

        HttpResponse<String> first = search("P-ONE", admin);
        HttpResponse<String> second = search("P-TWO", admin);
        HttpResponse<String> third = search("P-THREE", admin);
        String firstId = json.readTree(first.body()).get("query_id").asString();
        HttpResponse<String> status = send("GET", "/api/v1/spanner/queries/" + firstId + "/status", admin, null);
        HttpResponse<String> noKey = send("GET", "/api/v1/spanner/qido/studies?PatientID=P-FOUR", null, null);
        HttpResponse<String> adminChange = send(
                "POST",
                "/api/v1/sources",
                admin,
                "{\"name\": \"X\", \"ae_title\": \"X\", \"host\": \"h\", \"port\": 1}");
        SpanRequest logged1 = spanRequest("P-ONE");
        SpanRequest logged2 = spanRequest("P-TWO");
        Instant startedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        queryLog.write(new QueryLogEntry(logged1, startedAt, 1L, 2, 2, 0, 3, 2, 40, QueryState.COMPLETE, null));
        queryLog.write(new QueryLogEntry(logged2, startedAt, 1L, 2, 1, 1, 1, 1, 90, QueryState.PARTIAL, "B: timeout"));

        assertThat(List.of(first.statusCode(), second.statusCode(), third.statusCode(), status.statusCode()))
                .containsExactly(202, 202, 202, 200);
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(adminChange.statusCode())
                .as("an admin change needs PostgreSQL")
                .isGreaterThanOrEqualTo(500);
        awaitCount(() -> auditLog.outbox().depth(), 5);
        assertThat(queryLog.outbox().depth()).isEqualTo(2);
        assertThat(gauge("audit")).isEqualTo(5.0);
        assertThat(gauge("query-log")).isEqualTo(2.0);
        Thread.sleep(600); // a few drains fail while PostgreSQL is away, and nothing is lost or doubled by them
        assertThat(meters.get("spanner.outbox.retries")
                        .tag("outbox", "audit")
                        .counter()
                        .count())
                .isGreaterThanOrEqualTo(1.0);

        POSTGRES.start();

        awaitCount(() -> auditLog.outbox().depth() + queryLog.outbox().depth(), 0);
        List<Map<String, Object>> searches = jdbc.sql("""
                        select actor, actor_api_key_id, actor_address, action, outcome,
                               objects -> 'filters' ->> 'PatientID' as patient, (objects ->> 'status')::int as status
                        from audit_event where entity_type = 'query' order by id""").query().listOfRows();
        assertThat(searches).hasSize(5);
        // the refused search never reached the parser: its filters are not known, let alone recorded
        assertThat(searches.stream().map(row -> row.get("patient")).toList())
                .containsExactlyInAnyOrder(
                        tokenizer.patientId("P-BEFORE"),
                        tokenizer.patientId("P-ONE"),
                        tokenizer.patientId("P-TWO"),
                        tokenizer.patientId("P-THREE"),
                        null);
        Map<String, Object> refused = searches.stream()
                .filter(row -> row.get("patient") == null)
                .findFirst()
                .orElseThrow();
        assertThat(refused.get("outcome")).isEqualTo("refused");
        assertThat(refused.get("actor")).isEqualTo("anonymous");
        assertThat(refused.get("status")).isEqualTo(401);
        assertThat(searches.stream().filter(row -> "success".equals(row.get("outcome"))))
                .hasSize(4)
                .allSatisfy(row -> {
                    assertThat(row.get("actor")).isEqualTo("api-key:ops");
                    assertThat(row.get("actor_address")).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
                    assertThat(row.get("action")).isEqualTo("searched");
                    assertThat(row.get("status")).isEqualTo(202);
                });
        assertThat(jdbc.sql("""
                        select objects ->> 'query_id' from audit_event
                        where entity_type = 'query_result' and action = 'read' and outcome = 'success'""").query(String.class).list()).containsExactly(firstId);
        assertThat(count("select count(*) from audit_event"))
                .isEqualTo(count("select count(distinct event_id) from audit_event"));
        assertThat(count("select count(*) from dicom_source")).isZero();
        assertThat(count("select count(*) from audit_event where cast(objects as text) like '%P-%'"))
                .isZero();

        List<Map<String, Object>> rows = jdbc.sql("""
                        select id::text as id, tokenized_filters ->> 'PatientID' as patient, status, error,
                               sources_answered, duration_ms
                        from query_log order by duration_ms""").query().listOfRows();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0))
                .containsEntry("id", logged1.queryId())
                .containsEntry("patient", tokenizer.patientId("P-ONE"))
                .containsEntry("status", "completed")
                .containsEntry("sources_answered", 2)
                .containsEntry("duration_ms", 40L);
        assertThat(rows.get(1))
                .containsEntry("id", logged2.queryId())
                .containsEntry("patient", tokenizer.patientId("P-TWO"))
                .containsEntry("status", "partial")
                .containsEntry("error", "B: timeout");
        assertThat(meters.get("spanner.outbox.delivered")
                        .tag("outbox", "query-log")
                        .counter()
                        .count())
                .isEqualTo(2.0);
        assertThat(meters.get("spanner.outbox.failures")
                        .tag("outbox", "audit")
                        .counter()
                        .count())
                .isZero();
    }

    @Test
    void anEventDeliveredTwiceIsStoredOnce() {
        AuditRecord event = new AuditRecord(
                UUID.randomUUID(),
                Instant.now(),
                "system:test",
                null,
                null,
                null,
                "api_request",
                null,
                "refused",
                AuditOutcome.SUCCESS,
                Map.of("query_id", "q"));

        auditLog.recordNow(event);
        auditLog.recordNow(event);

        assertThat(count("select count(*) from audit_event where event_id = '" + event.eventId() + "'"))
                .isEqualTo(1);
    }

    private static SpanRequest spanRequest(String patientId) {
        SpanQuery query = new SpanQuery(
                1,
                QueryLevel.STUDY,
                QidoResource.ALL_STUDIES,
                List.of(new QueryKey("00100020", patientId)),
                List.of(),
                false,
                false,
                1000,
                0);
        return new SpanRequest(
                UUID.randomUUID().toString(), query, EntryPoint.QIDO, "api-key:1@127.0.0.1", null, false, 0L, null);
    }

    private double gauge(String outbox) {
        return meters.get("spanner.outbox.depth").tag("outbox", outbox).gauge().value();
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    private static void awaitCount(IntSupplier actual, int expected) throws InterruptedException {
        awaitCount(() -> (long) actual.getAsInt(), expected);
    }

    private static void awaitCount(java.util.function.LongSupplier actual, long expected) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        long seen = actual.getAsLong();
        while (seen != expected && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            seen = actual.getAsLong();
        }
        assertThat(seen).isEqualTo(expected);
    }

    private HttpResponse<String> search(String patientId, String key) throws Exception {
        return send("GET", "/api/v1/spanner/qido/studies?PatientID=" + patientId + "&async=true", key, null);
    }

    private HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (key != null) {
            request.header("Authorization", "Api-Key " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
