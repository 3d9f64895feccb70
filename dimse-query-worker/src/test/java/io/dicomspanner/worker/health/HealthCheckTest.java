package io.dicomspanner.worker.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.worker.testing.TestPacs;
import io.dicomspanner.worker.testing.WorkerTestSupport;
import java.net.ServerSocket;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The scheduled C-ECHO of every source the worker has seen, recorded in Redis for the gateway's health endpoint. */
class HealthCheckTest extends WorkerTestSupport {

    @Autowired
    HealthChecker health;

    @Autowired
    KnownSources knownSources;

    @Autowired
    JsonMapper json;

    @Test
    void anEchoRoundRecordsEachKnownSourceUpOrDownInRedis() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (TestPacs pacs = new TestPacs(Set.copyOf(SopClasses.QUERY_FIND), true)) {
            SourceEndpoint up = studyRoot(newSourceId(), pacs.port());
            SourceEndpoint down = studyRoot(newSourceId(), closedPort);
            knownSources.seen(up);
            knownSources.seen(down);
            try {
                health.checkAll();

                JsonNode upHealth = json.readTree(redis.opsForValue().get(RedisKeys.sourceHealth(up.sourceId())));
                assertThat(upHealth.get("sourceId").asLong()).isEqualTo(up.sourceId());
                assertThat(upHealth.get("state").asString()).isEqualTo("up");
                assertThat(upHealth.get("dimseStatus").asInt()).isZero();
                assertThat(upHealth.get("error").isNull()).isTrue();
                assertThat(upHealth.get("latencyMillis").isIntegralNumber()).isTrue();
                assertThat(upHealth.get("checkedAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
                assertThat(pacs.associations()).isEqualTo(1);

                JsonNode downHealth = json.readTree(redis.opsForValue().get(RedisKeys.sourceHealth(down.sourceId())));
                assertThat(downHealth.get("state").asString()).isEqualTo("down");
                assertThat(downHealth.get("dimseStatus").isNull()).isTrue();
                assertThat(downHealth.get("error").asString()).startsWith("cannot connect to 127.0.0.1:" + closedPort);
                assertThat(redis.getExpire(RedisKeys.sourceHealth(down.sourceId())))
                        .isPositive();
            } finally {
                redis.delete(RedisKeys.sourceHealth(up.sourceId()));
                redis.delete(RedisKeys.sourceHealth(down.sourceId()));
            }
        }
    }
}
