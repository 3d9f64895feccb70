package io.dicomspanner.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.EchoRequest;
import io.dicomspanner.common.messaging.MessageCodec;
import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.common.messaging.SourceHealth;
import io.dicomspanner.common.messaging.TopologyDeclarations;
import io.dicomspanner.common.seal.SealedCodec;
import io.dicomspanner.gateway.GatewayTest;
import io.dicomspanner.gateway.apikey.ApiKeyRequest;
import io.dicomspanner.gateway.audit.Actor;
import io.dicomspanner.gateway.span.SpanProperties;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

/** Source health over real HTTP, Redis and RabbitMQ; the worker's side is played by the test. */
class SourceHealthApiTest extends GatewayTest {

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    RabbitAdmin rabbitAdmin;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    SealedCodec sealed;

    @Autowired
    SpanProperties spanProperties;

    final MessageCodec messageJson = MessageCodec.instance();

    private long sourceId;
    private String workerQueue;

    @BeforeEach
    void sourceWithAnIdNoOtherTestUses() {
        Reply created = post("/api/v1/sources", jsonOf("""
                {'name': 'PACS-A', 'ae_title': 'PACSA', 'host': '10.1.2.3', 'port': 104}"""));
        assertThat(created.status()).isEqualTo(201);
        // Redis is shared with the other modules' tests: a source id of its own keeps their health keys apart.
        sourceId = 900_000_000L + ThreadLocalRandom.current().nextInt(99_999_999);
        jdbc.sql("update dicom_source set id = :id").param("id", sourceId).update();
        workerQueue = "spanner.test.gateway.echo." + sourceId;
        rabbitAdmin.declareExchange(TopologyDeclarations.healthEchoExchange(spanProperties.healthEchoExchange()));
    }

    @AfterEach
    void cleanUp() {
        redis.delete(RedisKeys.sourceHealth(sourceId));
        rabbitAdmin.deleteQueue(workerQueue);
        rabbitAdmin.deleteExchange(spanProperties.healthEchoExchange());
    }

    @Test
    void healthIsUnknownUntilAnEchoIsRecorded() {
        Reply health = get("/api/v1/sources/" + sourceId + "/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.raw().body())
                .isEqualTo("{\"source_id\":" + sourceId
                        + ",\"name\":\"PACS-A\",\"ae_title\":\"PACSA\",\"verified_keys\":[],\"state\":\"unknown\"}");
    }

    @Test
    void healthShowsTheLastRecordedEchoInSnakeCase() {
        redis.opsForValue()
                .set(
                        RedisKeys.sourceHealth(sourceId),
                        MessageCodec.instance()
                                .writeString(new SourceHealth(
                                        sourceId,
                                        SourceHealth.State.UP,
                                        12,
                                        0,
                                        null,
                                        Instant.parse("2026-03-01T10:15:30.120Z"),
                                        Instant.parse("2026-03-01T10:15:30.132Z"))));

        Reply health = get("/api/v1/sources/" + sourceId + "/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.raw().body())
                .isEqualTo("{\"source_id\":" + sourceId
                        + ",\"name\":\"PACS-A\",\"ae_title\":\"PACSA\",\"verified_keys\":[],\"state\":\"up\",\"latency_millis\":12,"
                        + "\"dimse_status\":0,\"error\":null,\"started_at\":\"2026-03-01T10:15:30.120Z\","
                        + "\"checked_at\":\"2026-03-01T10:15:30.132Z\"}");
    }

    @Test
    void healthReadsAnEntryOfTheWorkerBeforeTheSharedRecord() {
        // Exactly what the worker wrote from a map of these members before the entry was a shared record.
        redis.opsForValue()
                .set(
                        RedisKeys.sourceHealth(sourceId),
                        "{\"sourceId\":" + sourceId + ",\"state\":\"down\",\"latencyMillis\":3001,"
                                + "\"dimseStatus\":null,\"error\":\"cannot connect to 10.1.2.3:104\","
                                + "\"startedAt\":\"2026-03-01T10:15:27Z\",\"checkedAt\":\"2026-03-01T10:15:30.001Z\"}");

        Reply health = get("/api/v1/sources/" + sourceId + "/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.raw().body())
                .isEqualTo("{\"source_id\":" + sourceId
                        + ",\"name\":\"PACS-A\",\"ae_title\":\"PACSA\",\"verified_keys\":[],\"state\":\"down\","
                        + "\"latency_millis\":3001,\"dimse_status\":null,"
                        + "\"error\":\"cannot connect to 10.1.2.3:104\",\"started_at\":\"2026-03-01T10:15:27Z\","
                        + "\"checked_at\":\"2026-03-01T10:15:30.001Z\"}");
    }

    @Test
    void anEntryThatIsNoSourceHealthShowsAsUnknown() {
        for (String entry : List.of("\"up\"", "{\"sourceId\":" + sourceId + ",\"latencyMillis\":5}")) {
            redis.opsForValue().set(RedisKeys.sourceHealth(sourceId), entry);

            Reply health = get("/api/v1/sources/" + sourceId + "/health");

            assertThat(health.status()).as(entry).isEqualTo(200);
            assertThat(health.raw().body())
                    .as(entry)
                    .isEqualTo(
                            "{\"source_id\":" + sourceId
                                    + ",\"name\":\"PACS-A\",\"ae_title\":\"PACSA\",\"verified_keys\":[],\"state\":\"unknown\"}");
        }
    }

    @Test
    void unknownSourceIs404() {
        assertThat(get("/api/v1/sources/" + (sourceId + 1) + "/health").status())
                .isEqualTo(404);
        assertThat(post("/api/v1/sources/" + (sourceId + 1) + "/health/echo", null)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void echoRequestGoesToTheWorkersOfThatSource() {
        Queue queue = new Queue(workerQueue, false, false, false);
        rabbitAdmin.declareQueue(queue);
        rabbitAdmin.declareBinding(
                TopologyDeclarations.healthEchoBinding(spanProperties.healthEchoExchange(), workerQueue, sourceId));

        Reply accepted = post("/api/v1/sources/" + sourceId + "/health/echo", null);

        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.header("Location")).isEqualTo("/api/v1/sources/" + sourceId + "/health");
        Message message = rabbit.receive(workerQueue, 10_000);
        assertThat(message).isNotNull();
        assertThat(message.getMessageProperties().getContentType()).isEqualTo(SealedCodec.CONTENT_TYPE);
        EchoRequest echo = sealed.readMessage(message.getBody(), EchoRequest.class);
        assertThat(echo.sourceId()).isEqualTo(sourceId);
        assertThat(echo.requestId()).isEqualTo(accepted.body().get("request_id").asString());
        assertThat(echo.requestedBy()).startsWith("api-key:");
    }

    @Test
    void echoWithoutAWorkerForTheSourceIs503() {
        Reply refused = post("/api/v1/sources/" + sourceId + "/health/echo", null);

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.body().get("detail").asString()).isEqualTo("No worker serves source " + sourceId);
        assertThat(refused.header("Retry-After")).isEqualTo("5");
    }

    @Test
    void healthNeedsTheAdminScope() {
        String queryKey = apiKeys.create(new ApiKeyRequest("viewer", List.of("query")), Actor.system("test"))
                .key();

        assertThat(send("GET", "/api/v1/sources/" + sourceId + "/health", queryKey, null)
                        .status())
                .isEqualTo(403);
        assertThat(send("GET", "/api/v1/sources/" + sourceId + "/health", null, null)
                        .status())
                .isEqualTo(401);
    }
}
