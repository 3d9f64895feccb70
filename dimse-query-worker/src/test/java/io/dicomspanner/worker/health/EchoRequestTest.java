package io.dicomspanner.worker.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.EchoRequest;
import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.common.seal.SealedCodec;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.worker.sources.ServedSources;
import io.dicomspanner.worker.testing.TestDatabase;
import io.dicomspanner.worker.testing.TestPacs;
import io.dicomspanner.worker.testing.WorkerTestSupport;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A fresh C-ECHO on request: an {@link EchoRequest} published as the api-gateway's {@code POST
 * /api/v1/sources/{id}/health/echo} publishes it (JSON of the record, health echo exchange, routing key = source id)
 * reaches the worker serving the source, which echoes the PACS and records the outcome in Redis, where the gateway's
 * {@code GET /api/v1/sources/{id}/health} reads it.
 */
class EchoRequestTest extends WorkerTestSupport {

    @Autowired
    ServedSources served;

    @Autowired
    JsonMapper json;

    @Test
    void anEchoRequestRecordsAFreshCheckAndOneOlderThanTheRecordedCheckIsSkipped() throws Exception {
        long sourceId = newSourceId();
        try (TestPacs pacs = new TestPacs(Set.copyOf(SopClasses.QUERY_FIND), true)) {
            TestDatabase.insertSource(sourceId, "TESTPACS", pacs.port(), true);
            try {
                served.refresh();
                long requested = System.currentTimeMillis();

                publishAsTheGatewayDoes(
                        new EchoRequest(UUID.randomUUID().toString(), sourceId, "api-key:7", requested));

                JsonNode first = recordedHealth(sourceId, requested);
                assertThat(first.get("sourceId").asLong()).isEqualTo(sourceId);
                assertThat(first.get("state").asString()).isEqualTo("up");
                assertThat(first.get("dimseStatus").asInt()).isZero();
                assertThat(first.get("error").isNull()).isTrue();
                assertThat(pacs.associations()).isEqualTo(1);

                // Asked before the recorded check started: answered by it, no second C-ECHO.
                publishAsTheGatewayDoes(
                        new EchoRequest(UUID.randomUUID().toString(), sourceId, "api-key:7", requested - 1));
                long later = Instant.parse(first.get("startedAt").asString()).toEpochMilli() + 1;
                while (System.currentTimeMillis() <= later) {
                    Thread.sleep(1); // the third check must start after `later` on a millisecond clock
                }
                publishAsTheGatewayDoes(new EchoRequest(UUID.randomUUID().toString(), sourceId, "api-key:7", later));

                JsonNode third = recordedHealth(sourceId, later);
                assertThat(third.get("state").asString()).isEqualTo("up");
                assertThat(pacs.associations())
                        .as("the first and the third request were echoed")
                        .isEqualTo(2);
            } finally {
                redis.delete(RedisKeys.sourceHealth(sourceId));
                TestDatabase.update("delete from dicom_source where id = ?", sourceId);
            }
        }
    }

    /** As the gateway's ConfirmedPublisher: the record as sealed JSON, its id as message id and query-id header. */
    private void publishAsTheGatewayDoes(EchoRequest request) {
        rabbit.send(
                Topology.HEALTH_ECHO_EXCHANGE,
                Topology.healthEchoRoutingKey(request.sourceId()),
                MessageBuilder.withBody(sealed.sealMessage(request))
                        .setContentType(SealedCodec.CONTENT_TYPE)
                        .setMessageId(request.requestId())
                        .setHeader(Topology.HEADER_QUERY_ID, request.requestId())
                        .setDeliveryMode(MessageDeliveryMode.NON_PERSISTENT)
                        .build());
    }

    /** Waits (up to 30 s) for a health entry of a check started at or after {@code since}. */
    private JsonNode recordedHealth(long sourceId, long since) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            String recorded = redis.opsForValue().get(RedisKeys.sourceHealth(sourceId));
            if (recorded != null) {
                JsonNode health = json.readTree(recorded);
                if (Instant.parse(health.get("startedAt").asString()).toEpochMilli() >= since) {
                    return health;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no check of source " + sourceId + " started after " + since + " was recorded");
    }
}
