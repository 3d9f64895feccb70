package io.dicomspanner.worker.task;

import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SourceResult;
import io.dicomspanner.common.messaging.SourceTask;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomWriter;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.json.DicomJsonReader;
import io.dicomspanner.dicom.match.InvalidMatchingKeyException;
import io.dicomspanner.dicom.match.MatchOptions;
import io.dicomspanner.dicom.match.QueryMatcher;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.net.service.FindOperation;
import io.dicomspanner.dicom.net.service.FindOutcome;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.worker.WorkerProperties;
import io.dicomspanner.worker.adapt.QueryAdapter;
import io.dicomspanner.worker.cancel.RunningQueries;
import io.dicomspanner.worker.circuit.CircuitBreaker;
import io.dicomspanner.worker.find.SourceFailure;
import io.dicomspanner.worker.find.SourceFinder;
import io.dicomspanner.worker.find.SourceFinder.FindContext;
import io.dicomspanner.worker.health.KnownSources;
import io.dicomspanner.worker.metrics.WorkerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs one {@link SourceTask} to its end on the calling thread: circuit check, deadline check, the adapted C-FINDs,
 * local filtering and de-duplication of what comes back, and the result batches, each confirmed by the broker before
 * the next. Returns once the final batch is published; the caller then acks the task.
 *
 * <p>Batches are numbered from 0 per run; a redelivered task runs again from the start and numbers its batches the
 * same way, so the coordinator can drop the copies it already has (same taskId, same sequence).
 */
@Component
public class TaskRunner {
    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
    /** Marks the end of a task's matches in its queue. */
    private static final byte[] END = new byte[0];

    private final SourceFinder finder;
    private final CircuitBreaker circuit;
    private final RunningQueries running;
    private final ResultPublisher publisher;
    private final WorkerMetrics metrics;
    private final KnownSources knownSources;
    private final Clock clock;
    private final WorkerProperties properties;

    public TaskRunner(
            SourceFinder finder,
            CircuitBreaker circuit,
            RunningQueries running,
            ResultPublisher publisher,
            WorkerMetrics metrics,
            KnownSources knownSources,
            Clock clock,
            WorkerProperties properties) {
        this.finder = finder;
        this.circuit = circuit;
        this.running = running;
        this.publisher = publisher;
        this.metrics = metrics;
        this.knownSources = knownSources;
        this.clock = clock;
        this.properties = properties;
    }

    /**
     * Passes the matches of several C-FINDs on in the order of the C-FINDs: the first one's as they come, the others'
     * once every one before it has ended.
     */
    private static final class InOrder {
        private final List<List<Attributes>> buffers;
        private final boolean[] done;
        private final Consumer<Attributes> sink;
        private int current;

        InOrder(int n, Consumer<Attributes> sink) {
            this.buffers = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                buffers.add(new ArrayList<>());
            }
            this.done = new boolean[n];
            this.sink = sink;
        }

        Consumer<Attributes> buffer(int i) {
            return match -> {
                synchronized (this) {
                    if (i == current) {
                        sink.accept(match);
                    } else {
                        buffers.get(i).add(match);
                    }
                }
            };
        }

        synchronized void done(int i) {
            done[i] = true;
            while (current < done.length && done[current]) {
                current++;
                if (current < done.length) {
                    buffers.get(current).forEach(sink);
                    buffers.get(current).clear();
                }
            }
        }
    }

    /** How the task ended, for the final batch. */
    private record Final(SourceOutcome outcome, int dimseStatus, String error) {}

    /**
     * @throws org.springframework.amqp.AmqpException if a batch could not be published (the task must not be acked)
     * @throws InterruptedException if the thread was interrupted (the container is stopping)
     */
    public void run(SourceTask task) throws InterruptedException {
        Run run = new Run(task);
        long sourceId = task.source().sourceId();
        knownSources.seen(task.source());
        running.taskStarted(task.queryId());
        metrics.taskStarted();
        Final end = null;
        try {
            if (clock.millis() >= task.deadlineEpochMillis()) {
                end = new Final(SourceOutcome.TIMEOUT, -1, "the deadline had passed when the task reached the worker");
            } else {
                CircuitBreaker.Admission admission = circuit.admit(sourceId);
                metrics.circuitAdmission(sourceId, admission);
                if (admission == CircuitBreaker.Admission.OPEN) {
                    end = new Final(
                            SourceOutcome.CIRCUIT_OPEN, -1, "the source's circuit is open after repeated failures");
                } else {
                    end = run.stream();
                    updateCircuit(sourceId, end);
                }
            }
            run.publishFinal(end);
        } finally {
            running.taskEnded(task.queryId());
            metrics.taskEnded();
            if (end != null) {
                metrics.recordTask(
                        sourceId,
                        run.ctx.peer(),
                        end.outcome(),
                        Duration.ofNanos(System.nanoTime() - run.started),
                        run.relayed);
            }
        }
    }

    private void updateCircuit(long sourceId, Final end) {
        switch (end.outcome()) {
            case CONNECTION_FAILED, TIMEOUT -> circuit.onConnectionFailure(sourceId);
            case SUCCESS, FAILED_STATUS, REFUSED -> circuit.onAnswer(sourceId);
            default -> {
                // cancelled or still open: says nothing about the connection
            }
        }
    }

    /** One run of a task: its matches queue, its batches, its sequence numbers. */
    private final class Run {
        final SourceTask task;
        final FindContext ctx;
        final long started = System.nanoTime();
        final LinkedBlockingQueue<byte[]> matches = new LinkedBlockingQueue<>();
        final Set<String> seen = ConcurrentHashMap.newKeySet();
        final Set<FindOperation> operations = ConcurrentHashMap.newKeySet();
        List<byte[]> batch = new ArrayList<>();
        int sequence;
        int relayed;

        Run(SourceTask task) {
            this.task = task;
            this.ctx = new FindContext(
                    task.queryId(), task.source(), task.deadlineEpochMillis(), task.retryAttempts(), operations::add);
        }

        /** Runs the C-FINDs and publishes full (or overdue) batches until the last match; returns the outcome. */
        Final stream() throws InterruptedException {
            CompletableFuture<FindOutcome> done;
            QueryLevel level;
            Attributes identifier;
            try {
                level = QueryLevel.valueOf(task.level());
            } catch (IllegalArgumentException | NullPointerException e) {
                LOG.warn("task {}: unknown query/retrieve level {}", task.taskId(), task.level());
                return new Final(SourceOutcome.FAILED_STATUS, -1, "unknown query/retrieve level " + task.level());
            }
            try {
                identifier = inUtf8IfNeeded(new DicomJsonReader().read(task.identifier()));
            } catch (IllegalArgumentException e) {
                // the parser's message may quote values, which may be PHI
                LOG.warn(
                        "task {}: identifier is not valid DICOM JSON ({})",
                        task.taskId(),
                        e.getClass().getSimpleName());
                return new Final(SourceOutcome.FAILED_STATUS, -1, "the identifier is not valid DICOM JSON");
            }
            try {
                done = execute(identifier, level, sink(identifier, level));
            } catch (SourceFailure e) {
                return new Final(e.outcome(), -1, e.getMessage());
            }
            done.whenComplete((o, e) -> matches.add(END));
            // Cut by count alone, never by time: a redelivered task must cut the same batches under the same
            // sequence numbers, or the coordinator's duplicate check by (taskId, sequence) would drop new matches.
            try {
                for (byte[] m = matches.take(); m != END; m = matches.take()) {
                    batch.add(m);
                    if (batch.size() >= properties.batchSize()) {
                        publish(batch, SourceOutcome.RUNNING, Status.PENDING, null);
                        batch = new ArrayList<>();
                    }
                }
            } catch (InterruptedException | RuntimeException e) {
                // abandoned (worker stopping, results not publishable): the PACS need not go on answering
                operations.forEach(FindOperation::cancel);
                throw e;
            }
            return outcomeOf(done);
        }

        void publishFinal(Final end) {
            publish(batch, end.outcome(), end.dimseStatus(), end.error());
            batch = new ArrayList<>();
        }

        private void publish(List<byte[]> items, SourceOutcome outcome, int dimseStatus, String error) {
            publisher.publish(
                    task.replyTo(),
                    new SourceResult(
                            task.queryId(),
                            task.taskId(),
                            task.source().sourceId(),
                            sequence,
                            List.copyOf(items),
                            outcome,
                            dimseStatus,
                            error,
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
            sequence++;
            relayed += items.size();
        }

        /**
         * Filters each match against the whole identifier (keys not sent, or not honoured), drops repeats of a unique
         * key (split queries overlap), and encodes it. Runs on event-loop threads.
         */
        private Consumer<Attributes> sink(Attributes identifier, QueryLevel level) {
            QueryMatcher filter;
            try {
                filter = QueryMatcher.compile(identifier, MatchOptions.RECHECK.withCombinedDateTime(true));
            } catch (InvalidMatchingKeyException e) {
                LOG.warn(
                        "task {}: key {} not usable for local filtering; relaying unfiltered",
                        task.taskId(),
                        Tag.toString(e.tag()));
                filter = null;
            }
            QueryMatcher matcher = filter;
            return record -> {
                if (matcher != null && !matcher.matches(record)) {
                    return;
                }
                String key = level.uniqueKeyOf(record);
                if (key != null && !seen.add(key)) {
                    return;
                }
                matches.add(DicomWriter.encode(record, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
            };
        }

        private CompletableFuture<FindOutcome> execute(
                Attributes identifier, QueryLevel level, Consumer<Attributes> sink) {
            InformationModel model = QueryAdapter.chooseModel(task.source().informationModels(), level);
            boolean relational = task.source().relationalQueries();
            List<Attributes> parts = properties.splitModalitiesInStudy() && level == QueryLevel.STUDY
                    ? QueryAdapter.splitModalitiesInStudy(identifier)
                    : List.of(identifier);
            return eachLimited(
                    parts,
                    sink,
                    (part, partSink) -> runLevel(model, level, part, new Attributes(), relational, partSink));
        }

        /**
         * A C-FIND at {@code level}; without relational queries, preceded by one at the topmost level whose unique
         * key is unknown, then one below per match found there.
         */
        private CompletableFuture<FindOutcome> runLevel(
                InformationModel model,
                QueryLevel level,
                Attributes identifier,
                Attributes resolved,
                boolean relational,
                Consumer<Attributes> sink) {
            Optional<QueryLevel> upper = relational
                    ? Optional.empty()
                    : QueryAdapter.unresolvedUpperLevel(identifier, resolved, model, level);
            if (upper.isPresent()) {
                List<Attributes> found = Collections.synchronizedList(new ArrayList<>());
                return runLevel(model, upper.get(), identifier, resolved, false, found::add)
                        .thenCompose(outcome -> {
                            if (!outcome.isSuccess()) {
                                return CompletableFuture.completedFuture(outcome);
                            }
                            return eachLimited(List.copyOf(found), sink, (parent, parentSink) -> {
                                Attributes below = QueryAdapter.withUpperLevels(Attributes.copyOf(resolved), parent);
                                return runLevel(model, level, identifier, below, false, parentSink);
                            });
                        });
            }
            return finder.find(
                    ctx,
                    model.findSopClassUid(),
                    negotiated -> QueryAdapter.keysFor(identifier, resolved, model, level, relational, negotiated),
                    match -> sink.accept(QueryAdapter.withUpperLevels(match, resolved)));
        }

        /**
         * Runs {@code action} for each item, at most {@code studyFanoutConcurrency} at once, and stops starting new
         * ones after the first that does not succeed. Matches reach {@code sink} in item order whatever order the
         * C-FINDs end in, so a redelivered task relays them in the same order and batches. The outcome: the first
         * that did not succeed, else a success counting every match.
         */
        private <T> CompletableFuture<FindOutcome> eachLimited(
                List<T> items,
                Consumer<Attributes> sink,
                BiFunction<T, Consumer<Attributes>, CompletableFuture<FindOutcome>> action) {
            if (items.size() == 1) {
                return action.apply(items.get(0), sink);
            }
            InOrder inOrder = new InOrder(items.size(), sink);
            AtomicInteger next = new AtomicInteger();
            AtomicInteger matchCount = new AtomicInteger();
            AtomicReference<FindOutcome> notSuccess = new AtomicReference<>();
            List<CompletableFuture<Void>> lanes = new ArrayList<>();
            for (int i = 0; i < Math.min(items.size(), properties.studyFanoutConcurrency()); i++) {
                lanes.add(lane(items, action, inOrder, next, matchCount, notSuccess));
            }
            return CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new))
                    .thenApply(x -> {
                        FindOutcome failed = notSuccess.get();
                        return failed != null ? failed : new FindOutcome(Status.SUCCESS, null, matchCount.get(), false);
                    });
        }

        private <T> CompletableFuture<Void> lane(
                List<T> items,
                BiFunction<T, Consumer<Attributes>, CompletableFuture<FindOutcome>> action,
                InOrder inOrder,
                AtomicInteger next,
                AtomicInteger matchCount,
                AtomicReference<FindOutcome> notSuccess) {
            int i = next.getAndIncrement();
            if (i >= items.size() || notSuccess.get() != null) {
                return CompletableFuture.completedFuture(null);
            }
            return action.apply(items.get(i), inOrder.buffer(i)).thenCompose(outcome -> {
                inOrder.done(i);
                if (outcome.isSuccess()) {
                    matchCount.addAndGet(outcome.matches());
                } else {
                    notSuccess.compareAndSet(null, outcome);
                }
                return lane(items, action, inOrder, next, matchCount, notSuccess);
            });
        }

        private Final outcomeOf(CompletableFuture<FindOutcome> done) {
            FindOutcome o;
            try {
                o = done.join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof SourceFailure f) {
                    SourceOutcome out = running.isCancelled(task.queryId()) ? SourceOutcome.CANCELLED : f.outcome();
                    return new Final(out, -1, f.getMessage());
                }
                LOG.error("task {}: C-FIND failed unexpectedly", task.taskId(), cause);
                return new Final(SourceOutcome.FAILED_STATUS, -1, "worker error: " + cause);
            }
            if (o.isCancelled()) {
                return new Final(SourceOutcome.CANCELLED, o.status(), "cancelled");
            }
            if (o.isFailure()) {
                return new Final(
                        SourceOutcome.FAILED_STATUS,
                        o.status(),
                        // the error comment stays out: a PACS may echo query values (PHI) in it
                        "the source answered " + Status.toString(o.status()));
            }
            return new Final(SourceOutcome.SUCCESS, o.status(), null);
        }
    }

    /**
     * DICOM JSON carries Unicode text and no character set: an identifier whose text the default repertoire cannot
     * hold (a German or Japanese name) is sent to the PACS in UTF-8 ({@code ISO_IR 192}), as SpecificCharacterSet's
     * strict encoding asks of its callers. Otherwise (nearly always) it goes without Specific Character Set.
     */
    static Attributes inUtf8IfNeeded(Attributes identifier) {
        if (identifier.contains(Tag.SPECIFIC_CHARACTER_SET)) {
            return identifier;
        }
        try {
            DicomWriter.encode(identifier, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        } catch (IllegalArgumentException e) {
            identifier.setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 192");
        }
        return identifier;
    }
}
