package io.dicomspanner.coordinator.query;

import io.dicomspanner.common.messaging.QueryStatus;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.coordinator.config.MappedSource;
import io.dicomspanner.coordinator.merge.SourceStatistics;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** One source's part in a running query. Guarded by its {@link QueryRun}'s lock; changed only by it. */
final class SourceProgress {
    final MappedSource source;
    final String taskId;
    /** Whether its task has been sent (a config's max_concurrent_sources may hold it back for a while). */
    private boolean sent;
    /** Set when the task is sent: the source's timeout from then, never beyond the query's answer time. */
    private long deadlineEpochMillis;

    private SourceOutcome outcome = SourceOutcome.RUNNING;
    private Long latencyMillis;
    private String error;
    /** The matching keys it could not apply, as its worker reported them: the union over its batches. */
    private final Set<String> unverifiedKeys = new LinkedHashSet<>();

    private int verificationBound;

    SourceProgress(MappedSource source, String taskId) {
        this.source = source;
        this.taskId = taskId;
    }

    boolean isFinal() {
        return outcome.isFinal();
    }

    boolean isSent() {
        return sent;
    }

    /** Being asked: sent, no final answer yet. */
    boolean isAsked() {
        return sent && !isFinal();
    }

    /** Waiting to be sent. */
    boolean isWaiting() {
        return !sent && !isFinal();
    }

    SourceOutcome outcome() {
        return outcome;
    }

    long deadlineEpochMillis() {
        return deadlineEpochMillis;
    }

    /** Its task goes out now: its deadline is its timeout from {@code now}, never after {@code answerBy}. */
    void sent(long now, long answerBy) {
        sent = true;
        deadlineEpochMillis = Math.min(now + source.timeoutSeconds() * 1000L, answerBy);
    }

    void latency(Long millis) {
        latencyMillis = millis;
    }

    /** Its worker could not verify these keys in its results (a batch's {@code unverifiedKeys}). */
    void unverified(List<String> keys, int bound) {
        unverifiedKeys.addAll(keys);
        if (bound > 0) {
            verificationBound = bound;
        }
    }

    void end(SourceOutcome finalOutcome, String reason) {
        outcome = finalOutcome;
        error = reason;
    }

    String mergeId() {
        return Long.toString(source.sourceId());
    }

    QueryStatus.SourceStatus status(SourceStatistics merged) {
        return new QueryStatus.SourceStatus(
                source.sourceId(),
                source.endpoint().name(),
                source.endpoint().aeTitle(),
                outcome,
                merged.accepted(),
                merged.filteredByRecheck(),
                latencyMillis,
                error,
                List.copyOf(unverifiedKeys),
                verificationBound);
    }

    /** What the answer says of a source that did not succeed. */
    SpanAnswer.SourceFailure failure() {
        return new SpanAnswer.SourceFailure(
                source.sourceId(),
                source.endpoint().name(),
                source.endpoint().aeTitle(),
                outcome,
                error == null ? outcome.name() : error);
    }
}
