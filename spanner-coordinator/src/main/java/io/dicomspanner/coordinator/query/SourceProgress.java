package io.dicomspanner.coordinator.query;

import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.coordinator.config.MappedSource;

/** One source's part in a running query. Guarded by its {@link QueryRun}'s lock. */
final class SourceProgress {
    final MappedSource source;
    final String taskId;
    final long deadlineEpochMillis;
    SourceOutcome outcome = SourceOutcome.RUNNING;
    Long latencyMillis;
    String error;

    SourceProgress(MappedSource source, String taskId, long deadlineEpochMillis) {
        this.source = source;
        this.taskId = taskId;
        this.deadlineEpochMillis = deadlineEpochMillis;
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
