package io.dicomspanner.common.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.query.EntryPoint;
import io.dicomspanner.common.query.QueryKey;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.dicom.query.QidoResource;
import io.dicomspanner.dicom.query.QueryLevel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

public class MessageCodecTest {

    private final MessageCodec codec = MessageCodec.instance();

    /** A span request with every component set; other tests send it too. */
    public static SpanRequest spanRequest() {
        return new SpanRequest(
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
    }

    static final String SPAN_REQUEST_JSON = "{\"queryId\":\"q1\","
            + "\"query\":{\"configId\":1,\"level\":\"STUDY\",\"resource\":\"ALL_STUDIES\","
            + "\"keys\":[{\"path\":\"00100020\",\"value\":\"12345\"}],\"returnKeys\":[\"00081030\"],"
            + "\"includeAll\":false,\"fuzzyMatching\":true,\"limit\":1000,\"offset\":0},"
            + "\"entryPoint\":\"QIDO\",\"caller\":\"api-key:1\",\"replyTo\":\"spanner.answers.x\","
            + "\"streamMatches\":false,\"deadlineEpochMillis\":1700000000000,"
            + "\"retrieveBaseUrl\":\"https://spanner.example.org/dicomweb/1\"}";

    @Test
    void aSpanRequestTravelsWithItsComponentNamesAndEnumsByName() {
        byte[] json = codec.write(spanRequest());

        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo(SPAN_REQUEST_JSON);
        assertThat(codec.writeString(spanRequest())).isEqualTo(SPAN_REQUEST_JSON);
        assertThat(codec.read(json, SpanRequest.class)).isEqualTo(spanRequest());
    }

    @Test
    void aSpanAnswerCarriesItsMatchesAsBase64() {
        SpanAnswer answer = new SpanAnswer(
                        "q1",
                        List.of(new byte[] {1, 2, 3}),
                        true,
                        QueryState.PARTIAL,
                        List.of(new SpanAnswer.SourceFailure(2, "PACS-B", "PACSB", SourceOutcome.TIMEOUT, "no answer")),
                        1,
                        0,
                        false)
                .afterStreamed(3);
        String json = "{\"queryId\":\"q1\",\"matches\":[\"AQID\"],\"last\":true,\"state\":\"PARTIAL\","
                + "\"failures\":[{\"sourceId\":2,\"name\":\"PACS-B\",\"aeTitle\":\"PACSB\",\"outcome\":\"TIMEOUT\","
                + "\"reason\":\"no answer\"}],\"totalMatches\":1,\"remaining\":0,\"fromCache\":false,\"notes\":[],"
                + "\"streamedBefore\":3}";

        assertThat(codec.writeString(answer)).isEqualTo(json);

        SpanAnswer read = codec.read(json, SpanAnswer.class);
        assertThat(read.matches()).containsExactly(new byte[] {1, 2, 3});
        assertThat(read).usingRecursiveComparison().ignoringFields("matches").isEqualTo(answer);
    }

    @Test
    void aSpanAnswerNotesEachSourceWhoseKeysAreNotVerifiedAndAnAnswerWithoutNotesReadsAsNone() {
        SpanAnswer answer = new SpanAnswer(
                "q1",
                List.of(),
                true,
                QueryState.COMPLETE,
                List.of(),
                0,
                0,
                false,
                List.of(new SpanAnswer.SourceNote(3, "PACS-X", "PACSX", List.of("ModalitiesInStudy"))));
        String json = "{\"queryId\":\"q1\",\"matches\":[],\"last\":true,\"state\":\"COMPLETE\",\"failures\":[],"
                + "\"totalMatches\":0,\"remaining\":0,\"fromCache\":false,\"notes\":[{\"sourceId\":3,"
                + "\"name\":\"PACS-X\",\"aeTitle\":\"PACSX\",\"unverifiedKeys\":[\"ModalitiesInStudy\"],"
                + "\"verificationBound\":0}],\"streamedBefore\":0}";

        assertThat(codec.writeString(answer)).isEqualTo(json);
        assertThat(codec.read(json, SpanAnswer.class))
                .usingRecursiveComparison()
                .isEqualTo(answer);
        SpanAnswer older = codec.read(json.replaceFirst(",\"notes\":.*}$", "}"), SpanAnswer.class);
        assertThat(older.notes()).isEmpty();
        assertThat(older.streamedBefore()).isZero();
    }

    @Test
    void aSourceStatusWithoutUnverifiedKeysReadsAsOneThatAppliedEveryKey() {
        QueryStatus.SourceStatus status = new QueryStatus.SourceStatus(
                3, "PACS-X", "PACSX", SourceOutcome.SUCCESS, 2, 1, 40L, null, List.of("ModalitiesInStudy"), 200);
        String json = "{\"sourceId\":3,\"name\":\"PACS-X\",\"aeTitle\":\"PACSX\",\"state\":\"SUCCESS\","
                + "\"matches\":2,\"droppedByRecheck\":1,\"latencyMillis\":40,\"error\":null,"
                + "\"unverifiedKeys\":[\"ModalitiesInStudy\"],\"verificationBound\":200}";

        assertThat(codec.writeString(status)).isEqualTo(json);
        assertThat(codec.read(json, QueryStatus.SourceStatus.class)).isEqualTo(status);
        assertThat(codec.read(
                        json.replace(",\"unverifiedKeys\":[\"ModalitiesInStudy\"],\"verificationBound\":200", ""),
                        QueryStatus.SourceStatus.class))
                .isEqualTo(new QueryStatus.SourceStatus(3, "PACS-X", "PACSX", SourceOutcome.SUCCESS, 2, 1, 40L, null));
    }

    @Test
    void fieldsTheReaderDoesNotKnowAreSkipped() {
        String json = "{\"queryId\":\"q1\",\"matches\":[],\"last\":true,\"state\":\"COMPLETE\",\"failures\":[],"
                + "\"totalMatches\":0,\"remaining\":0,\"fromCache\":true,\"addedLater\":{\"by\":\"a newer service\"}}";

        assertThat(codec.read(json.getBytes(StandardCharsets.UTF_8), SpanAnswer.class))
                .isEqualTo(new SpanAnswer("q1", List.of(), true, QueryState.COMPLETE, List.of(), 0, 0, true));
    }

    @Test
    void snakeCaseNamesAreNotComponentNames() {
        // Every service writes the component names; a snake_case member is a field the reader does not know.
        String json = "{\"query_id\":\"q1\",\"queryId\":\"q2\",\"matches\":[],\"last\":true,\"state\":\"COMPLETE\","
                + "\"failures\":[],\"total_matches\":7,\"totalMatches\":1,\"remaining\":0,\"fromCache\":false}";

        assertThat(codec.read(json, SpanAnswer.class))
                .isEqualTo(new SpanAnswer("q2", List.of(), true, QueryState.COMPLETE, List.of(), 1, 0, false));
    }

    @Test
    void aTreeKeepsTheNamesAsWritten() {
        var tree = codec.readTree("{\"lastEchoMillis\":5,\"state\":\"UP\"}");

        assertThat(tree.get("lastEchoMillis").asLong()).isEqualTo(5);
        assertThat(tree.has("last_echo_millis")).isFalse();
        assertThat(tree.get("state").asString()).isEqualTo("UP");
    }
}
