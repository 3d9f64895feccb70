package io.dicomspanner.coordinator.query;

import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.coordinator.config.MappedSource;

/** One source's part in a running query. Guarded by its {@link QueryRun}'s lock. */
final class SourceProgress {
    final MappedSource source;
    final String taskId;
    /** Whether its task has been sent (a config's max_concurrent_sources may hold it back for a while). */
    boolean sent;
    /** Set when the task is sent: the source's timeout from then, never beyond the query's answer time. */
    long deadlineEpochMillis;

    SourceOutcome outcome = SourceOutcome.RUNNING;
    Long latencyMillis;
    String error;

    SourceProgress(MappedSource source, String taskId) {
        this.source = source;
        this.taskId = taskId;
    }

    boolean isFinal() {
        return outcome.isFinal();
    }

    void end(SourceOutcome finalOutcome, String reason) {
        outcome = finalOutcome;
        error = reason;
    }

    String mergeId() {
        return Long.toString(source.sourceId());
    }
}
