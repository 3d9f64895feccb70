package io.dicomspanner.common.answer;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.MessageCodec;
import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.QueryStatus;
import io.dicomspanner.dicom.query.QueryLevel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The status document every writer of a query status puts in Redis. */
class QueryStatusDocumentTest {

    @Test
    void aStatusIsKeptUnderItsQueryAsMessageJsonForItsTimeToLive() {
        QueryStatus status = QueryStatus.of("q-1", 7, QueryLevel.SERIES)
                .configVersion(3)
                .createdAt(1_700_000_000_000L)
                .build();

        QueryStatusDocument document = QueryStatusDocument.of(status, Duration.ofMinutes(90));

        assertThat(document.key()).isEqualTo("spanner:{q:q-1}:status");
        assertThat(document.ttl()).isEqualTo(Duration.ofMinutes(90));
        JsonNode json = MessageCodec.instance().readTree(document.json());
        assertThat(json.get("queryId").asString()).isEqualTo("q-1");
        assertThat(json.get("configId").asLong()).isEqualTo(7);
        assertThat(json.get("configVersion").asLong()).isEqualTo(3);
        assertThat(json.get("level").asString()).isEqualTo("SERIES");
        assertThat(json.get("state").asString()).isEqualTo("RUNNING");
        assertThat(json.get("completedEpochMillis").isNull()).isTrue();
        assertThat(MessageCodec.instance().read(document.json(), QueryStatus.class))
                .isEqualTo(new QueryStatus(
                        "q-1",
                        7,
                        3,
                        "SERIES",
                        QueryState.RUNNING,
                        1_700_000_000_000L,
                        null,
                        false,
                        false,
                        0,
                        0,
                        0,
                        List.of()));
    }
}
