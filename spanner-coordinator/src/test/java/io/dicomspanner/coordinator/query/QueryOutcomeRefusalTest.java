package io.dicomspanner.coordinator.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.answer.TakenQuery;
import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.common.query.EntryPoint;
import io.dicomspanner.common.query.QueryKey;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.dicom.query.QidoResource;
import io.dicomspanner.dicom.query.QueryLevel;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A query refused before any source was asked names who refused it, in the answer and in the final status. */
class QueryOutcomeRefusalTest {

    @Test
    void aRefusalNamesTheCoordinatorThatRefusedAndNoSource() {
        SpanQuery query = new SpanQuery(
                1,
                QueryLevel.STUDY,
                QidoResource.ALL_STUDIES,
                List.of(new QueryKey("00080030", "\0")),
                List.of(),
                false,
                false,
                100,
                0);
        SpanRequest request =
                new SpanRequest("q-9", query, EntryPoint.QIDO, "api-key:7", null, false, 1_000_000L, null);
        TakenQuery taken = new TakenQuery(request, 1L, Instant.ofEpochMilli(1_000L), 0);

        QueryOutcome refused = QueryOutcome.refused(
                taken, "spanner coordinator coordinator-1", "invalid matching key: StudyTime (0008,0030)");
        SpanAnswer answer = refused.answer(List.of(), 0);

        assertThat(answer.state()).isEqualTo(QueryState.FAILED);
        assertThat(answer.failures())
                .containsExactly(new SpanAnswer.SourceFailure(
                        0,
                        "spanner coordinator coordinator-1",
                        "",
                        SourceOutcome.REFUSED,
                        "invalid matching key: StudyTime (0008,0030)"));
        assertThat(refused.error()).isEqualTo("invalid matching key: StudyTime (0008,0030)");
        assertThat(refused.status(2_000L).sources()).isEmpty();
    }
}
