package io.dicomspanner.worker.task;

import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SourceTask;
import io.dicomspanner.worker.WorkerProperties;
import io.dicomspanner.worker.cancel.RunningQueries;
import io.dicomspanner.worker.circuit.CircuitBreaker;
import io.dicomspanner.worker.dicomweb.QidoFinder;
import io.dicomspanner.worker.find.SourceFinder;
import io.dicomspanner.worker.health.KnownSources;
import io.dicomspanner.worker.metrics.WorkerMetrics;
import java.time.Clock;
import org.springframework.stereotype.Component;

/**
 * Runs one {@link SourceTask} to its end on the calling thread: deadline check, circuit check, then the {@link TaskRun}
 * (the adapted C-FINDs, local filtering and de-duplication of what comes back, the verification of the matching keys
 * the source ignores, the result batches, each confirmed by the broker before the next), the circuit told how the
 * source answered, and the final batch. Returns once the final batch is published; the caller then acks the task.
 */
@Component
public class TaskRunner {
    private final SourceFinder finder;
    private final QidoFinder qido;
    private final CircuitBreaker circuit;
    private final RunningQueries running;
    private final ResultPublisher publisher;
    private final WorkerMetrics metrics;
    private final KnownSources knownSources;
    private final Clock clock;
    private final WorkerProperties properties;
    private final FindFanOut fanOut;
    private final KeyLearning learning;

    public TaskRunner(
            SourceFinder finder,
            QidoFinder qido,
            CircuitBreaker circuit,
            RunningQueries running,
            ResultPublisher publisher,
            WorkerMetrics metrics,
            KnownSources knownSources,
            Clock clock,
            WorkerProperties properties,
            KeyLearning learning) {
        this.finder = finder;
        this.qido = qido;
        this.circuit = circuit;
        this.running = running;
        this.publisher = publisher;
        this.metrics = metrics;
        this.knownSources = knownSources;
        this.clock = clock;
        this.properties = properties;
        this.fanOut = new FindFanOut(properties.studyFanoutConcurrency());
        this.learning = learning;
    }

    /**
     * @throws org.springframework.amqp.AmqpException if a batch could not be published (the task must not be acked)
     * @throws InterruptedException if the thread was interrupted (the container is stopping)
     */
    public void run(SourceTask task) throws InterruptedException {
        TaskRun run = new TaskRun(task, finder, qido, running, publisher, fanOut, properties, learning);
        long sourceId = task.source().sourceId();
        knownSources.seen(task.source());
        running.taskStarted(task.queryId());
        metrics.taskStarted();
        TaskRun.End end;
        try {
            if (clock.millis() >= task.deadlineEpochMillis()) {
                end = new TaskRun.End(
                        SourceOutcome.TIMEOUT, -1, "the deadline had passed when the task reached the worker");
            } else {
                CircuitBreaker.Admission admission = circuit.admit(sourceId);
                metrics.circuitAdmission(sourceId, admission);
                if (admission == CircuitBreaker.Admission.OPEN) {
                    end = new TaskRun.End(
                            SourceOutcome.CIRCUIT_OPEN, -1, "the source's circuit is open after repeated failures");
                } else {
                    end = run.stream();
                    updateCircuit(sourceId, end);
                    learning.taskEnded(run.evidence(), end.outcome());
                }
            }
            // Counted, with the final batch's matches, before that batch leaves: whoever has the task's answer finds it
            // in the metrics too.
            metrics.recordTask(sourceId, run.peer(), end.outcome(), run.elapsed(), run.relayed() + run.unpublished());
            metrics.recordVerification(
                    sourceId, run.verificationFinds(), run.droppedByVerification(), run.unverifiedKeys());
            run.publishFinal(end);
        } finally {
            running.taskEnded(task.queryId());
            metrics.taskEnded();
        }
    }

    private void updateCircuit(long sourceId, TaskRun.End end) {
        if (end.saysNothingAboutSource()) {
            return; // timed out waiting for one of its associations: the PACS was not asked
        }
        switch (end.outcome()) {
            case CONNECTION_FAILED, TIMEOUT -> circuit.onConnectionFailure(sourceId);
            case SUCCESS, FAILED_STATUS, REFUSED -> circuit.onAnswer(sourceId);
            default -> {
                // cancelled or still open: says nothing about the connection
            }
        }
    }
}
