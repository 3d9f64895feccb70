package io.dicomspanner.common.answer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.common.messaging.MessageCodec;
import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.QueryStatus;
import io.dicomspanner.common.messaging.SharedAnswer;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.common.query.EntryPoint;
import io.dicomspanner.common.query.QueryKey;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.common.querylog.QueryLogEntry;
import io.dicomspanner.dicom.query.QidoResource;
import io.dicomspanner.dicom.query.QueryLevel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A query's final answer, status and query-log row cut from a shared answer, as coordinator and gateway give them. */
class SharedAnswerReplyTest {

    static final byte[] R1 = {1};
    static final byte[] R2 = {2};
    static final byte[] R3 = {3};
    static final Instant TAKEN = Instant.ofEpochMilli(1_700_000_000_000L);
    static final long COMPLETED = 1_700_000_000_045L;
    static final QueryStatus.SourceStatus A =
            new QueryStatus.SourceStatus(1, "PACS-A", "PACSA", SourceOutcome.SUCCESS, 3, 0, 80L, null);
    static final QueryStatus.SourceStatus B =
            new QueryStatus.SourceStatus(2, "PACS-B", "PACSB", SourceOutcome.TIMEOUT, 0, 0, null, "no answer");
    static final SpanAnswer.SourceFailure B_FAILED =
            new SpanAnswer.SourceFailure(2, "PACS-B", "PACSB", SourceOutcome.TIMEOUT, "no answer");

    static SharedAnswer partialAnswer(int maxResults) {
        return new SharedAnswer(
                QueryState.PARTIAL, List.of(R1, R2, R3), List.of(B_FAILED), 4, 3, 1, List.of(A, B), maxResults);
    }

    static TakenQuery taken(Integer limit, int offset, boolean stream) {
        SpanQuery query = new SpanQuery(
                7,
                QueryLevel.STUDY,
                QidoResource.ALL_STUDIES,
                List.of(new QueryKey("00100020", "P1")),
                List.of(),
                false,
                false,
                limit,
                offset);
        SpanRequest request = new SpanRequest(
                "q-1", query, EntryPoint.QIDO, "api-key:7", "answers", stream, 1_700_000_030_000L, null);
        return new TakenQuery(request, 3L, TAKEN, 0);
    }

    @Test
    void theAnswerIsThePageCutByTheSharedAnswersMaxResults() {
        SharedAnswerReply reply = SharedAnswerReply.fromCache(taken(null, 0, false), partialAnswer(2), COMPLETED);

        SpanAnswer answer = reply.answer();
        assertThat(answer.queryId()).isEqualTo("q-1");
        assertThat(answer.matches()).containsExactly(R1, R2);
        assertThat(answer.last()).isTrue();
        assertThat(answer.state()).isEqualTo(QueryState.PARTIAL);
        assertThat(answer.failures()).containsExactly(B_FAILED);
        assertThat(answer.totalMatches()).isEqualTo(3);
        assertThat(answer.remaining()).isEqualTo(1);
        assertThat(answer.fromCache()).isTrue();
    }

    @Test
    void theClientsOffsetAndLimitCutWithinTheMaxResults() {
        SpanAnswer answer = SharedAnswerReply.fromCache(taken(1, 1, false), partialAnswer(10), COMPLETED)
                .answer();

        assertThat(answer.matches()).containsExactly(R2);
        assertThat(answer.remaining()).isEqualTo(1);
        assertThat(answer.totalMatches()).isEqualTo(3);
    }

    @Test
    void aStreamedQueryGetsTheWholeAnswerAtOnce() {
        SpanAnswer answer = SharedAnswerReply.coalesced(taken(1, 0, true), partialAnswer(2), COMPLETED)
                .answer();

        assertThat(answer.matches()).containsExactly(R1, R2, R3);
        assertThat(answer.remaining()).isZero();
        assertThat(answer.fromCache()).isFalse();
    }

    @Test
    void theFinalStatusOfACacheHitCarriesTheSharedCountsAndSources() {
        QueryStatus status = SharedAnswerReply.fromCache(taken(null, 0, false), partialAnswer(2), COMPLETED)
                .status();

        assertThat(status)
                .isEqualTo(new QueryStatus(
                        "q-1",
                        7,
                        3,
                        "STUDY",
                        QueryState.PARTIAL,
                        1_700_000_000_000L,
                        COMPLETED,
                        true,
                        false,
                        4,
                        3,
                        1,
                        List.of(A, B)));
    }

    @Test
    void aCoalescedQuerysStatusIsMarkedCoalescedNotFromCache() {
        QueryStatus status = SharedAnswerReply.coalesced(taken(null, 0, false), partialAnswer(2), COMPLETED)
                .status();

        assertThat(status.fromCache()).isFalse();
        assertThat(status.coalesced()).isTrue();
        assertThat(status.completedEpochMillis()).isEqualTo(COMPLETED);
    }

    @Test
    void theQueryLogRowAsksNoSourceAndLogsTheSharedCountsAndFailures() {
        TakenQuery taken = taken(null, 0, false);

        QueryLogEntry entry =
                SharedAnswerReply.fromCache(taken, partialAnswer(2), COMPLETED).logEntry(Duration.ofMillis(12));

        assertThat(entry)
                .isEqualTo(new QueryLogEntry(
                        taken.request(),
                        TAKEN,
                        3L,
                        0,
                        0,
                        0,
                        4,
                        3,
                        12,
                        QueryState.PARTIAL,
                        "PACS-B: TIMEOUT (no answer)"));
    }

    @Test
    void aSourceThatCouldNotApplyAKeyIsNotedInTheAnswerAndItsStatusButDidNotFail() {
        QueryStatus.SourceStatus c = new QueryStatus.SourceStatus(
                3, "PACS-C", "PACSC", SourceOutcome.SUCCESS, 2, 0, 60L, null, List.of("ModalitiesInStudy"));
        SharedAnswer shared = new SharedAnswer(
                QueryState.PARTIAL, List.of(R1, R2, R3), List.of(B_FAILED), 5, 3, 0, List.of(A, B, c), 10);

        SharedAnswerReply reply = SharedAnswerReply.fromCache(taken(null, 0, false), shared, COMPLETED);

        assertThat(reply.answer().notes())
                .containsExactly(new SpanAnswer.SourceNote(3, "PACS-C", "PACSC", List.of("ModalitiesInStudy")));
        assertThat(reply.answer().failures()).containsExactly(B_FAILED);
        assertThat(reply.status().sources()).containsExactly(A, B, c);
    }

    @Test
    void aSharedAnswerWhoseSourcesDoNotSayWhatTheyCouldNotApplyHasNoNotes() {
        String entry = "{\"state\":\"COMPLETE\",\"records\":[\"AQ==\"],\"failures\":[],"
                + "\"matchesBeforeDeduplication\":1,\"matchesAfterDeduplication\":1,\"conflictingCopies\":0,"
                + "\"sources\":[{\"sourceId\":1,\"name\":\"PACS-A\",\"aeTitle\":\"PACSA\",\"state\":\"SUCCESS\","
                + "\"matches\":1,\"droppedByRecheck\":0,\"latencyMillis\":80,\"error\":null}],\"maxResults\":10}";

        SharedAnswer old = MessageCodec.instance().read(entry, SharedAnswer.class);
        SharedAnswerReply reply = SharedAnswerReply.fromCache(taken(null, 0, false), old, COMPLETED);

        assertThat(old.sources())
                .containsExactly(
                        new QueryStatus.SourceStatus(1, "PACS-A", "PACSA", SourceOutcome.SUCCESS, 1, 0, 80L, null));
        assertThat(old.sources().get(0).unverifiedKeys()).isEmpty();
        assertThat(reply.answer().notes()).isEmpty();
    }

    @Test
    void anAnswerThatDoesNotSayHowItPagesIsRefusedUntilGivenARule() {
        SharedAnswer old = partialAnswer(0);

        assertThatThrownBy(() -> SharedAnswerReply.fromCache(taken(null, 0, false), old, COMPLETED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SharedAnswerReply.fromCache(taken(null, 0, false), old.orMaxResults(1), COMPLETED)
                        .answer()
                        .matches())
                .containsExactly(R1);
    }

    @Test
    void anAnswerThatSaysHowItPagesKeepsItsOwnRule() {
        SharedAnswer made = partialAnswer(2);

        assertThat(made.orMaxResults(100)).isSameAs(made);
        assertThat(partialAnswer(0).orMaxResults(100).maxResults()).isEqualTo(100);
    }
}
