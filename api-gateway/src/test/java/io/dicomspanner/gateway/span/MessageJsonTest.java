package io.dicomspanner.gateway.span;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.common.query.EntryPoint;
import io.dicomspanner.common.query.QueryKey;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.dicom.query.QidoResource;
import io.dicomspanner.dicom.query.QueryLevel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageJsonTest {

    private final MessageJson messageJson = new MessageJson();

    @Test
    void spanRequestTravelsWithItsComponentNamesAndReadsBackEqual() {
        SpanRequest request = new SpanRequest(
                "q1",
                new SpanQuery(
                        1,
                        QueryLevel.STUDY,
                        QidoResource.ALL_STUDIES,
                        List.of(new QueryKey("00100020", "12345")),
                        List.of("00081030"),
                        false,
                        true,
                        1000,
                        0),
                EntryPoint.QIDO,
                "api-key:1",
                "spanner.answers.x",
                false,
                1_700_000_000_000L,
                "https://spanner.example.org/dicomweb/1");

        byte[] json = messageJson.write(request);
        String text = new String(json, StandardCharsets.UTF_8);

        assertThat(messageJson.read(json, SpanRequest.class)).isEqualTo(request);
        assertThat(text)
                .contains("\"queryId\":\"q1\"")
                .contains("\"deadlineEpochMillis\":1700000000000")
                .contains("\"keys\":[{\"path\":\"00100020\",\"value\":\"12345\"}]")
                .contains("\"level\":\"STUDY\"")
                .contains("\"resource\":\"ALL_STUDIES\"")
                .contains("\"retrieveBaseUrl\":\"https://spanner.example.org/dicomweb/1\"")
                .doesNotContain("canonicalHash");
    }

    @Test
    void answersInSnakeCaseAndWithUnknownFieldsAreRead() {
        String json = """
                {"query_id": "q1", "matches": ["AQID"], "last": true, "state": "PARTIAL",
                 "failures": [{"source_id": 2, "name": "PACS-B", "ae_title": "PACSB", "outcome": "TIMEOUT",
                               "reason": "no answer"}],
                 "total_matches": 1, "remaining": 0, "from_cache": false, "added_later": 7}""";

        SpanAnswer answer = messageJson.read(json, SpanAnswer.class);

        assertThat(answer.queryId()).isEqualTo("q1");
        assertThat(answer.matches()).containsExactly(new byte[] {1, 2, 3});
        assertThat(answer.state()).isEqualTo(QueryState.PARTIAL);
        assertThat(answer.failures())
                .containsExactly(
                        new SpanAnswer.SourceFailure(2, "PACS-B", "PACSB", SourceOutcome.TIMEOUT, "no answer"));
        assertThat(answer.totalMatches()).isEqualTo(1);
    }

    @Test
    void waitIsTheConfigTimeoutPlusTheMarginAtMostMaxWait() {
        SpanProperties properties = properties("");
        SpanClient client = new SpanClient(null, messageJson, properties, null);

        assertThat(client.waitFor(20)).isEqualTo(Duration.ofSeconds(22));
        assertThat(client.waitFor(3600)).isEqualTo(Duration.ofSeconds(300));
        assertThat(client.answersQueue()).isEqualTo("spanner.answers.gw1");
        assertThat(client.retrieveBaseUrl(1))
                .as("no dicomweb-base-url, no Retrieve URLs")
                .isNull();
    }

    @Test
    void retrieveBaseUrlIsTheDicomwebBaseFollowedByTheConfigId() {
        SpanProperties properties = properties("https://spanner.example.org/dicomweb/");
        SpanClient client = new SpanClient(null, messageJson, properties, null);

        assertThat(client.retrieveBaseUrl(7)).isEqualTo("https://spanner.example.org/dicomweb/7");
    }

    private static SpanProperties properties(String dicomwebBaseUrl) {
        return new SpanProperties(
                "x",
                "x",
                "x",
                "gw1",
                Duration.ofSeconds(2),
                Duration.ofSeconds(300),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                Duration.ofHours(1),
                dicomwebBaseUrl);
    }
}
