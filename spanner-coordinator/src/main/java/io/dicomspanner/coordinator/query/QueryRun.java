package io.dicomspanner.coordinator.query;

import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.coordinator.cache.InFlightQueries;
import io.dicomspanner.coordinator.config.SpanningConfig;
import io.dicomspanner.coordinator.merge.MergeSession;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

/**
 * One spanning query between its fan-out and its final answer: the sources' progress, the merge, and the failure
 * strategy's verdict. Every method is called with the run's monitor held (see {@link QueryCoordinator}).
 */
final class QueryRun {
    final SpanRequest request;
    final SpanningConfig config;
    /** The cache and coalescing key of its answer ({@code SpanQuery.answerHash}). */
    final String answerHash;

    final AnswerShaper shaper;
    final MergeSession merge;
    final Instant startedAt;
    final long startNanos;
    /** Non-null when this run fans out for identical queries of other instances too. */
    final InFlightQueries.Owner owner;
    /** Given once the final answer is out. */
    final RequestAck ack;

    /** By source id, best priority first. */
    final Map<Long, SourceProgress> sources = new LinkedHashMap<>();

    final Map<String, SourceProgress> byTaskId = new LinkedHashMap<>();
    /** taskId + '#' + sequence of every batch merged, so a batch sent again after a redelivery counts once. */
    private final Set<String> batchesSeen = new HashSet<>();

    final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private SourceOutcome firstFailure;
    QueryState state = QueryState.RUNNING;
    /** A worker reported a task stopped by the entry's cancellation (C-CANCEL): the answer is the entry's alone. */
    boolean cancelledByEntry;

    int duplicateBatches;

    /** Whether the running status has been written, and when last ({@code System.nanoTime()}). */
    boolean statusWritten;

    long statusWrittenNanos;
    /** A status write scheduled for the end of the progress interval, if one is pending. */
    ScheduledFuture<?> statusFlush;

    QueryRun(
            SpanRequest request,
            SpanningConfig config,
            String answerHash,
            AnswerShaper shaper,
            MergeSession merge,
            Instant startedAt,
            long startNanos,
            InFlightQueries.Owner owner,
            RequestAck ack) {
        this.request = request;
        this.config = config;
        this.answerHash = answerHash;
        this.shaper = shaper;
        this.merge = merge;
        this.startedAt = startedAt;
        this.startNanos = startNanos;
        this.owner = owner;
        this.ack = ack;
    }

    void add(SourceProgress progress) {
        sources.put(progress.source.sourceId(), progress);
        byTaskId.put(progress.taskId, progress);
    }

    /** True the first time a batch is seen. */
    boolean firstSight(String taskId, int sequence) {
        boolean first = batchesSeen.add(taskId + '#' + sequence);
        if (!first) {
            duplicateBatches++;
        }
        return first;
    }

    /** Records a source's final outcome and tells the merge it is done. */
    void sourceEnded(SourceProgress progress, SourceOutcome outcome, String reason) {
        if (progress.isFinal()) {
            return;
        }
        progress.end(outcome, reason);
        if (!outcome.isSuccess() && firstFailure == null) {
            firstFailure = outcome;
        }
        merge.sourceFinished(progress.mergeId());
    }

    /**
     * The next source to ask, best priority first, or null while {@code max_concurrent_sources} of the query's sources
     * are being asked (or none is left).
     */
    SourceProgress nextToSend() {
        int asking = 0;
        SourceProgress next = null;
        for (SourceProgress p : sources.values()) {
            if (p.sent && !p.isFinal()) {
                asking++;
            } else if (!p.sent && !p.isFinal() && next == null) {
                next = p;
            }
        }
        return asking < config.maxConcurrentSources() ? next : null;
    }

    boolean isFinished() {
        return state.isFinal();
    }

    /**
     * The failure strategy's verdict on the sources' progress: the final state, or RUNNING while the query must go
     * on. A source that timed out makes a failing verdict TIMED_OUT (the deadline decided it), else FAILED.
     */
    QueryState verdict() {
        int succeeded = 0;
        int failed = 0;
        int pending = 0;
        boolean timedOut = false;
        for (SourceProgress p : sources.values()) {
            if (!p.isFinal()) {
                pending++;
            } else if (p.outcome.isSuccess()) {
                succeeded++;
            } else {
                failed++;
                timedOut |= p.outcome == SourceOutcome.TIMEOUT;
            }
        }
        QueryState failure = timedOut ? QueryState.TIMED_OUT : QueryState.FAILED;
        return switch (config.failureStrategy()) {
            case PARTIAL_RESULTS -> {
                if (pending > 0) {
                    yield QueryState.RUNNING;
                }
                if (failed == 0) {
                    yield QueryState.COMPLETE;
                }
                yield succeeded > 0 ? QueryState.PARTIAL : failure;
            }
            case FAIL_FAST -> {
                if (firstFailure != null) {
                    yield firstFailure == SourceOutcome.TIMEOUT ? QueryState.TIMED_OUT : QueryState.FAILED;
                }
                yield pending > 0 ? QueryState.RUNNING : QueryState.COMPLETE;
            }
            case MINIMUM_THRESHOLD -> {
                if (succeeded + pending < config.minimumSuccessThreshold()) {
                    yield failure;
                }
                if (pending > 0) {
                    yield QueryState.RUNNING;
                }
                yield failed == 0 ? QueryState.COMPLETE : QueryState.PARTIAL;
            }
        };
    }
}
