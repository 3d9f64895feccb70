package io.dicomspanner.worker.task;

import io.dicomspanner.common.capability.KeyObservation;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SourceTask;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.worker.capability.KeyLearningProperties;
import io.dicomspanner.worker.capability.ObservationRecorder;
import io.dicomspanner.worker.metrics.WorkerMetrics;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Learns from a source's own answers which of its matching keys it does not apply, so that the worker verifies them
 * from then on ({@link KeyObservation}, origin {@code learned}). Two rules, over the raw records of successful tasks
 * ({@link AnswerEvidence}):
 *
 * <ul>
 *   <li>one answer with a record whose value disproves the key: the source does not match on it ({@code matched}
 *       false, {@code returned} true), recorded at once;
 *   <li>at least {@code min-records-without-value} records without a value for the key across this worker's
 *       successful tasks of the source, and none with a value: whether it matches is not known, but it does not return
 *       the value the answer would be re-checked with ({@code matched} unknown, {@code returned} false).
 * </ul>
 *
 * Counts are kept in memory per source and key and start again after an observation is recorded, or once a record
 * with a value comes back. The observations are stored by the {@link ObservationRecorder}, off the task's thread.
 */
@Component
class KeyLearning {
    private static final Logger LOG = LoggerFactory.getLogger(KeyLearning.class);

    private final boolean enabled;
    private final Set<String> learnable;
    private final int minRecordsWithoutValue;
    private final ObservationRecorder recorder;
    private final WorkerMetrics metrics;
    private final Clock clock;
    private final Map<SourceKey, WithoutValue> withoutValue = new ConcurrentHashMap<>();

    private record SourceKey(long sourceId, String keyword) {}

    /** Records without a value for one key of one source, and the answers they came in, since the last reset. */
    private record WithoutValue(int records, int answers) {}

    KeyLearning(KeyLearningProperties properties, ObservationRecorder recorder, WorkerMetrics metrics, Clock clock) {
        this.enabled = properties.enabled();
        this.learnable = properties.learnable();
        this.minRecordsWithoutValue = properties.minRecordsWithoutValue();
        this.recorder = recorder;
        this.metrics = metrics;
        this.clock = clock;
        if (properties.keys().stream().anyMatch(KeyLearningProperties.NEVER_LEARNED::contains)) {
            LOG.warn(
                    "key learning: keys {} are never learned and left out of spanner.worker.key-learning.keys",
                    KeyLearningProperties.NEVER_LEARNED);
        }
    }

    /** The evidence to collect from a task's answer. */
    AnswerEvidence evidenceFor(SourceTask task, Attributes identifier) {
        if (!enabled) {
            return AnswerEvidence.NONE;
        }
        return AnswerEvidence.of(task.source(), task.level(), identifier, learnable);
    }

    /** Draws the conclusions of a task that ended with {@code outcome}; only a successful one's answer counts. */
    void taskEnded(AnswerEvidence evidence, SourceOutcome outcome) {
        if (outcome != SourceOutcome.SUCCESS || evidence.records() == 0) {
            return;
        }
        long sourceId = evidence.sourceId();
        for (AnswerEvidence.KeyCounts key : evidence.keys()) {
            SourceKey sourceKey = new SourceKey(sourceId, key.keyword());
            if (key.disproved() > 0) {
                withoutValue.remove(sourceKey);
                record(
                        new KeyObservation(
                                sourceId,
                                key.keyword(),
                                false,
                                true,
                                KeyObservation.Origin.LEARNED,
                                clock.instant(),
                                key.disproved() + " of " + evidence.records()
                                        + " records of one answer do not match the key"),
                        "disproved");
                continue;
            }
            if (key.withoutValue() < evidence.records()) {
                withoutValue.remove(sourceKey); // the source returned a value
                continue;
            }
            WithoutValue seen = withoutValue.merge(
                    sourceKey,
                    new WithoutValue(key.withoutValue(), 1),
                    (a, b) -> new WithoutValue(a.records() + b.records(), a.answers() + b.answers()));
            if (seen.records() >= minRecordsWithoutValue && withoutValue.remove(sourceKey, seen)) {
                record(
                        new KeyObservation(
                                sourceId,
                                key.keyword(),
                                null,
                                false,
                                KeyObservation.Origin.LEARNED,
                                clock.instant(),
                                seen.records() + " records in " + seen.answers()
                                        + " answers came back without a value"),
                        "not_returned");
            }
        }
    }

    private void record(KeyObservation observation, String evidence) {
        LOG.info(
                "source {}: key {} learned from its answers ({})",
                observation.sourceId(),
                observation.keyword(),
                observation.evidence());
        recorder.record(observation).thenAccept(stored -> {
            if (stored) {
                metrics.keyObservation(observation.sourceId(), observation.keyword(), evidence);
            }
        });
    }
}
