package io.dicomspanner.coordinator.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.answer.TakenQuery;
import io.dicomspanner.common.config.DeduplicationStrategy;
import io.dicomspanner.common.config.FailureStrategy;
import io.dicomspanner.common.config.MergePolicy;
import io.dicomspanner.common.config.SpanningSettings;
import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.QueryStatus;
import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SourceResult;
import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.common.query.EntryPoint;
import io.dicomspanner.common.query.QueryKey;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.coordinator.config.MappedSource;
import io.dicomspanner.coordinator.config.SpanningConfig;
import io.dicomspanner.coordinator.fanout.CFindIdentifiers;
import io.dicomspanner.dicom.match.MatchOptions;
import io.dicomspanner.dicom.match.QueryMatcher;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.dicom.query.QidoResource;
import io.dicomspanner.dicom.query.QueryLevel;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A query's run decides which source to ask next, when it is over and when its running status is due. */
class QueryRunTest {

    static final long NOW = 1_700_000_000_000L;

    static MappedSource source(long id, int priority, int timeoutSeconds) {
        SourceEndpoint endpoint = new SourceEndpoint(
                id,
                "PACS-" + id,
                "PACS" + id,
                "127.0.0.1",
                11112,
                "SPANNER",
                false,
                4,
                30,
                List.of(InformationModel.STUDY_ROOT),
                true);
        return new MappedSource(endpoint, priority, timeoutSeconds, Map.of());
    }

    /** Sources 1, 2 and 3 (priority in that order), 5 s each, two asked at once. */
    static QueryRun run(FailureStrategy strategy, long answerBy, long clockMillis) {
        return run(strategy, answerBy, clockMillis, 2, Map.of());
    }

    /**
     * Sources 1, 2 and 3 (priority in that order), 5 s each, {@code atOnce} asked at once, expected to take
     * {@code expected} ms by source id (unknown where absent).
     */
    static QueryRun run(
            FailureStrategy strategy, long answerBy, long clockMillis, int atOnce, Map<Long, Long> expected) {
        SpanningConfig config = new SpanningConfig(
                new SpanningSettings(
                        7,
                        1,
                        "test",
                        true,
                        atOnce,
                        5,
                        1,
                        strategy,
                        0,
                        MergePolicy.deduplicating(DeduplicationStrategy.FIRST_WINS),
                        0,
                        null,
                        List.of()),
                List.of(source(1, 1, 5), source(2, 2, 5), source(3, 3, 5)));
        SpanQuery query = new SpanQuery(
                7,
                QueryLevel.STUDY,
                QidoResource.ALL_STUDIES,
                List.of(new QueryKey("00100020", "P1")),
                List.of(),
                false,
                false,
                null,
                0);
        SpanRequest request = new SpanRequest("q-1", query, EntryPoint.QIDO, "api-key:7", null, false, answerBy, null);
        QueryMatcher recheck = QueryMatcher.compile(CFindIdentifiers.matchingKeys(query), MatchOptions.RECHECK);
        return new QueryRun(
                new TakenQuery(request, 1L, Instant.ofEpochMilli(NOW), 0),
                new QueryPlan(config, recheck, "", answerBy),
                null,
                RequestAck.NONE,
                Clock.fixed(Instant.ofEpochMilli(clockMillis), ZoneOffset.UTC),
                id -> expected.getOrDefault(id, SourceLatencies.UNKNOWN));
    }

    static SourceProgress progress(QueryRun run, long sourceId) {
        return run.byTaskId("q-1:" + sourceId);
    }

    @Test
    void sourcesAreAskedBestPriorityFirstAndNoMoreAtOnceThanTheConfigAllows() {
        QueryRun run = run(FailureStrategy.PARTIAL_RESULTS, NOW + 60_000, NOW);

        SourceProgress first = run.sendNext(NOW);
        SourceProgress second = run.sendNext(NOW);
        SourceProgress none = run.sendNext(NOW);
        run.sourceEnded(first, SourceOutcome.SUCCESS, null);
        SourceProgress third = run.sendNext(NOW + 10);

        assertThat(first.source.sourceId()).isEqualTo(1);
        assertThat(first.deadlineEpochMillis()).isEqualTo(NOW + 5_000);
        assertThat(second.source.sourceId()).isEqualTo(2);
        assertThat(none).as("two are being asked").isNull();
        assertThat(third.source.sourceId()).isEqualTo(3);
        assertThat(third.deadlineEpochMillis()).isEqualTo(NOW + 5_010);
        assertThat(run.sendNext(NOW + 20)).as("every source asked").isNull();
    }

    @Test
    void sourcesAskedAllAtOnceGoSlowestExpectedFirstAndUnknownOnesBeforeThem() {
        QueryRun run = run(FailureStrategy.PARTIAL_RESULTS, NOW + 60_000, NOW, 3, Map.of(1L, 150L, 3L, 60L));

        assertThat(List.of(run.sendNext(NOW), run.sendNext(NOW), run.sendNext(NOW)))
                .extracting(p -> p.source.sourceId())
                .containsExactly(2L, 1L, 3L);
        assertThat(run.sendNext(NOW)).as("every source asked").isNull();
        assertThat(run.sources())
                .as("the answer still lists the sources in priority order")
                .extracting(p -> p.source.sourceId())
                .containsExactly(1L, 2L, 3L);
    }

    @Test
    void sourcesAskedInTurnsKeepTheirPriorityOrderWhateverTheyAreExpectedToTake() {
        QueryRun run = run(FailureStrategy.PARTIAL_RESULTS, NOW + 60_000, NOW, 2, Map.of(1L, 60L, 2L, 90L, 3L, 150L));

        SourceProgress first = run.sendNext(NOW);
        SourceProgress second = run.sendNext(NOW);
        run.sourceEnded(second, SourceOutcome.SUCCESS, null);
        SourceProgress third = run.sendNext(NOW);

        assertThat(List.of(first, second, third))
                .extracting(p -> p.source.sourceId())
                .containsExactly(1L, 2L, 3L);
    }

    @Test
    void aSourceThatEndsBeforeItIsAskedIsNotAskedAndFreesNoPlace() {
        QueryRun run = run(FailureStrategy.PARTIAL_RESULTS, NOW + 60_000, NOW, 2, Map.of());
        run.sourceEnded(progress(run, 1), SourceOutcome.FAILED_STATUS, "its identifier could not be built");

        SourceProgress first = run.sendNext(NOW);
        SourceProgress second = run.sendNext(NOW);

        assertThat(List.of(first, second)).extracting(p -> p.source.sourceId()).containsExactly(2L, 3L);
        assertThat(run.sendNext(NOW)).isNull();
    }

    @Test
    void aSourcesDeadlineIsNeverAfterTheQuerysAnswerTime() {
        QueryRun run = run(FailureStrategy.PARTIAL_RESULTS, NOW + 2_000, NOW);

        assertThat(run.sendNext(NOW).deadlineEpochMillis()).isEqualTo(NOW + 2_000);
    }

    @Test
    void nothingMoreIsAskedOnceTheQueryHasAVerdict() {
        QueryRun run = run(FailureStrategy.FAIL_FAST, NOW + 60_000, NOW);
        SourceProgress first = run.sendNext(NOW);
        run.sendNext(NOW);

        run.sourceEnded(first, SourceOutcome.FAILED_STATUS, "canned failure");

        assertThat(run.verdict()).isEqualTo(QueryState.FAILED);
        assertThat(run.sendNext(NOW)).isNull();
    }

    @Test
    void finishingCancelsTheSourcesStillAskedOrWaitingAndSaysTheirTasksAreToStop() {
        QueryRun run = run(FailureStrategy.FAIL_FAST, NOW + 60_000, NOW + 100);
        SourceProgress first = run.sendNext(NOW);
        run.sendNext(NOW);
        run.sourceEnded(first, SourceOutcome.FAILED_STATUS, "canned failure");

        boolean tasksToStop = run.finish(run.verdict());

        assertThat(tasksToStop).isTrue();
        assertThat(run.isFinished()).isTrue();
        assertThat(run.outcome().failures())
                .extracting(SpanAnswer.SourceFailure::sourceId, SpanAnswer.SourceFailure::outcome, f -> f.reason())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1L, SourceOutcome.FAILED_STATUS, "canned failure"),
                        org.assertj.core.groups.Tuple.tuple(
                                2L, SourceOutcome.CANCELLED, "not needed: the query was decided without it"),
                        org.assertj.core.groups.Tuple.tuple(
                                3L, SourceOutcome.CANCELLED, "not asked: the query was decided without it"));
    }

    @Test
    void sourcesWhoseTimeRanOutWhenTheQueryFinishesTimedOut() {
        QueryRun run = run(FailureStrategy.PARTIAL_RESULTS, NOW + 3_000, NOW + 6_000);
        SourceProgress first = run.sendNext(NOW);
        run.sourceEnded(first, SourceOutcome.SUCCESS, null);
        run.sendNext(NOW);
        run.sendNext(NOW);

        boolean tasksToStop = run.finish(QueryState.PARTIAL);

        assertThat(tasksToStop).isTrue();
        assertThat(progress(run, 2).outcome()).isEqualTo(SourceOutcome.TIMEOUT);
        assertThat(progress(run, 3).outcome()).isEqualTo(SourceOutcome.TIMEOUT);
        assertThat(run.outcome().failures())
                .extracting(SpanAnswer.SourceFailure::reason)
                .containsExactly("no final answer before the deadline", "no final answer before the deadline");
    }

    static SourceResult batch(long sourceId, int sequence, SourceOutcome outcome, List<String> unverifiedKeys) {
        return new SourceResult(
                "q-1", "q-1:" + sourceId, sourceId, sequence, List.of(), outcome, 0, null, 5, unverifiedKeys);
    }

    @Test
    void aSourcesUnverifiedKeysAreTheUnionOfItsBatchesAndNoteItWithoutFailingIt() {
        QueryRun run = run(FailureStrategy.FAIL_FAST, NOW + 60_000, NOW);
        SourceProgress one = run.sendNext(NOW);
        SourceProgress two = run.sendNext(NOW);

        run.resultArrived(one, List.of(), batch(1, 0, SourceOutcome.RUNNING, List.of("ModalitiesInStudy")));
        List<SpanAnswer.SourceNote> soFar = run.notesSoFar();
        run.resultArrived(
                one, List.of(), batch(1, 1, SourceOutcome.SUCCESS, List.of("StudyDescription", "ModalitiesInStudy")));
        run.resultArrived(two, List.of(), batch(2, 0, SourceOutcome.SUCCESS, List.of()));
        SourceProgress three = run.sendNext(NOW);
        run.resultArrived(three, List.of(), batch(3, 0, SourceOutcome.SUCCESS, List.of()));
        run.finish(run.verdict());
        QueryOutcome outcome = run.outcome();

        assertThat(soFar)
                .containsExactly(new SpanAnswer.SourceNote(1, "PACS-1", "PACS1", List.of("ModalitiesInStudy")));
        assertThat(outcome.state()).isEqualTo(QueryState.COMPLETE);
        assertThat(outcome.failures()).isEmpty();
        assertThat(outcome.answer(List.of(), 0).notes())
                .containsExactly(new SpanAnswer.SourceNote(
                        1, "PACS-1", "PACS1", List.of("ModalitiesInStudy", "StudyDescription")));
        assertThat(outcome.status(NOW).sources())
                .extracting(QueryStatus.SourceStatus::state, QueryStatus.SourceStatus::unverifiedKeys)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                SourceOutcome.SUCCESS, List.of("ModalitiesInStudy", "StudyDescription")),
                        org.assertj.core.groups.Tuple.tuple(SourceOutcome.SUCCESS, List.of()),
                        org.assertj.core.groups.Tuple.tuple(SourceOutcome.SUCCESS, List.of()));
        assertThat(outcome.shared(List.of(), 10).sources())
                .isEqualTo(outcome.status(NOW).sources());
    }

    @Test
    void aWorkerThatStoppedVerifyingAtItsBoundIsNotedWithTheBound() {
        QueryRun run = run(FailureStrategy.FAIL_FAST, NOW + 60_000, NOW);
        SourceProgress one = run.sendNext(NOW);

        run.resultArrived(
                one,
                List.of(),
                new SourceResult(
                        "q-1",
                        "q-1:1",
                        1,
                        0,
                        List.of(),
                        SourceOutcome.SUCCESS,
                        0,
                        null,
                        5,
                        List.of("ModalitiesInStudy"),
                        200));
        SourceProgress two = run.sendNext(NOW);
        run.resultArrived(two, List.of(), batch(2, 0, SourceOutcome.SUCCESS, List.of()));
        SourceProgress three = run.sendNext(NOW);
        run.resultArrived(three, List.of(), batch(3, 0, SourceOutcome.SUCCESS, List.of()));
        run.finish(run.verdict());

        assertThat(run.outcome().answer(List.of(), 0).notes())
                .containsExactly(new SpanAnswer.SourceNote(1, "PACS-1", "PACS1", List.of("ModalitiesInStudy"), 200));
        assertThat(run.outcome().status(NOW).sources())
                .extracting(QueryStatus.SourceStatus::verificationBound)
                .containsExactly(200, 0, 0);
    }

    @Test
    void theRunningStatusIsDueAtOnceThenOncePerInterval() {
        QueryRun run = run(FailureStrategy.PARTIAL_RESULTS, NOW + 60_000, NOW);
        assertThat(run.statusWriteDelay(1_000, 250)).isZero();

        run.runningStatus(1_000);

        assertThat(run.statusWriteDelay(1_050, 250)).isEqualTo(200);
        assertThat(run.statusWriteDelay(1_250, 250)).isZero();
    }
}
