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
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Runs one {@link SourceTask} to its end, asynchronously: deadline check, circuit check, then the {@link TaskRun}
 * (the adapted C-FINDs, local filtering and de-duplication of what comes back, the verification of the matching keys
 * the source ignores, the result batches, each confirmed by the broker before the next), the circuit told how the
 * source answered, and the final batch. No thread waits for a task's C-FINDs: matches arrive on the event loops, and
 * batches are published on {@code result-publishers} threads; the task's future completes once its final batch is
 * confirmed, and the caller then acks the task.
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
    /** Publishes result batches (each waits for its confirm) and ends tasks; never an event loop. */
    private final ExecutorService publishing;

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
        AtomicInteger threads = new AtomicInteger();
        this.publishing = Executors.newFixedThreadPool(properties.resultPublishers(), r -> {
            Thread t = new Thread(r, "result-publisher-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the task; no thread waits for its C-FINDs. The future completes once the final batch is confirmed by the
     * broker (the caller then acks the task), or exceptionally with the {@link org.springframework.amqp.AmqpException}
     * of a batch that could not be published (the task must not be acked).
     */
    public CompletableFuture<Void> start(SourceTask task) {
        TaskRun run = new TaskRun(task, finder, qido, running, publisher, fanOut, properties, learning, publishing);
        long sourceId = task.source().sourceId();
        knownSources.seen(task.source());
        running.taskStarted(task.queryId());
        metrics.taskStarted();
        CompletableFuture<Void> published;
        try {
            published = ended(task, run, sourceId)
                    .thenComposeAsync(
                            end -> {
                                // Counted, with the final batch's matches, before that batch leaves: whoever has the
                                // task's
                                // answer finds it in the metrics too.
                                metrics.recordTask(
                                        sourceId,
                                        run.peer(),
                                        end.outcome(),
                                        run.elapsed(),
                                        run.relayed() + run.unpublished());
                                metrics.recordVerification(
                                        sourceId,
                                        run.verificationFinds(),
                                        run.droppedByVerification(),
                                        run.unverifiedKeys());
                                return run.publishFinal(end);
                            },
                            publishing);
        } catch (RuntimeException e) {
            published = CompletableFuture.failedFuture(e);
        }
        return published.whenComplete((v, e) -> {
            running.taskEnded(task.queryId());
            metrics.taskEnded();
        });
    }

    /** How the task ended: at once when its deadline passed or the source's circuit is open, else after its C-FINDs. */
    private CompletableFuture<TaskRun.End> ended(SourceTask task, TaskRun run, long sourceId) {
        if (clock.millis() >= task.deadlineEpochMillis()) {
            return CompletableFuture.completedFuture(new TaskRun.End(
                    SourceOutcome.TIMEOUT, -1, "the deadline had passed when the task reached the worker"));
        }
        CircuitBreaker.Admission admission = circuit.admit(sourceId);
        metrics.circuitAdmission(sourceId, admission);
        if (admission == CircuitBreaker.Admission.OPEN) {
            return CompletableFuture.completedFuture(new TaskRun.End(
                    SourceOutcome.CIRCUIT_OPEN, -1, "the source's circuit is open after repeated failures"));
        }
        // the circuit and key learning may ask Redis: off the event loop that ended the C-FINDs
        return run.stream()
                .thenApplyAsync(
                        end -> {
                            updateCircuit(sourceId, end);
                            learning.taskEnded(run.evidence(), end.outcome());
                            return end;
                        },
                        publishing);
    }

    /** Stops publishing; a task whose final batch was not published stays unacked, and RabbitMQ gives it again. */
    @PreDestroy
    public void close() {
        publishing.shutdownNow();
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
