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
import io.dicomspanner.dicom.net.DicomPeer;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.net.service.FindOperation;
import io.dicomspanner.dicom.net.service.FindOutcome;
import io.dicomspanner.dicom.net.service.QueryOptions;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.worker.WorkerProperties;
import io.dicomspanner.worker.adapt.QueryAdapter;
import io.dicomspanner.worker.adapt.StudyPeriodSplit;
import io.dicomspanner.worker.cancel.RunningQueries;
import io.dicomspanner.worker.dicomweb.QidoFinder;
import io.dicomspanner.worker.find.CFindFailedException;
import io.dicomspanner.worker.find.SourceFinder;
import io.dicomspanner.worker.find.SourceFinder.FindContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a {@link SourceTask}: its C-FINDs, the matches they relay (re-checked against the whole identifier,
 * the keys the source ignores verified, de-duplicated, encoded), its result batches and their sequence numbers, and how
 * it ended.
 *
 * <p>Batches are numbered from 0 per run; a redelivered task runs again from the start and numbers its batches the
 * same way, so the coordinator can drop the copies it already has (same taskId, same sequence).
 */
final class TaskRun {
    private static final Logger LOG = LoggerFactory.getLogger(TaskRun.class);
    /** How a task ended, for its final batch. */
    /**
     * @param saysNothingAboutSource the source was never asked (the C-FIND timed out waiting for an association): its
     *     circuit is not touched
     */
    record End(SourceOutcome outcome, int dimseStatus, String error, boolean saysNothingAboutSource) {
        End(SourceOutcome outcome, int dimseStatus, String error) {
            this(outcome, dimseStatus, error, false);
        }
    }

    private final SourceTask task;
    private final SourceFinder finder;
    private final QidoFinder qido;
    private final RunningQueries running;
    private final ResultPublisher publisher;
    private final FindFanOut fanOut;
    private final WorkerProperties properties;
    private final KeyLearning learning;
    private final FindContext ctx;
    private final long started = System.nanoTime();
    /** Where the batches are published: each blocks until the broker confirmed it, never on an event loop. */
    private final Executor publishing;

    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Set<FindOperation> operations = ConcurrentHashMap.newKeySet();
    private final AtomicInteger verificationFinds = new AtomicInteger();
    /** Searches of a DICOMweb source that reached its cap and could not be split further. */
    private final AtomicInteger cappedSearches = new AtomicInteger();

    private volatile KeyVerification verification;
    private volatile AnswerEvidence evidence = AnswerEvidence.NONE;
    /** Matches held for the next batch; guarded by {@code this}, as are the two counters. */
    private List<byte[]> batch = new ArrayList<>();

    private int sequence;
    private int relayed;
    /**
     * The batches handed over so far, in order: each is published once the one before it is confirmed, so the final
     * batch never overtakes a batch of matches. Completes exceptionally once one could not be published.
     */
    private CompletableFuture<Void> published = CompletableFuture.completedFuture(null);
    /** Completes exceptionally once a batch could not be published; never normally. */
    private final CompletableFuture<End> publishFailed = new CompletableFuture<>();

    TaskRun(
            SourceTask task,
            SourceFinder finder,
            QidoFinder qido,
            RunningQueries running,
            ResultPublisher publisher,
            FindFanOut fanOut,
            WorkerProperties properties,
            KeyLearning learning,
            Executor publishing) {
        this.task = task;
        this.publishing = publishing;
        this.finder = finder;
        this.qido = qido;
        this.running = running;
        this.publisher = publisher;
        this.fanOut = fanOut;
        this.properties = properties;
        this.learning = learning;
        this.ctx = new FindContext(
                task.queryId(), task.source(), task.deadlineEpochMillis(), task.retryAttempts(), operations::add);
    }

    /** The PACS asked, as the metrics name it. */
    DicomPeer peer() {
        return ctx.peer();
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Matches handed to batches so far. */
    synchronized int relayed() {
        return relayed;
    }

    /**
     * Starts the C-FINDs; each full batch of matches is published as it fills. Completes with how the task ended once
     * the C-FINDs have; a batch that could not be published cancels them and completes it exceptionally.
     */
    CompletableFuture<End> stream() {
        CompletableFuture<FindOutcome> done;
        QueryLevel level = task.level();
        Attributes identifier;
        try {
            identifier = inUtf8IfNeeded(new DicomJsonReader().read(task.identifier()));
        } catch (IllegalArgumentException e) {
            // the parser's message may quote values, which may be PHI
            LOG.warn(
                    "task {}: identifier is not valid DICOM JSON ({})",
                    task.taskId(),
                    e.getClass().getSimpleName());
            return CompletableFuture.completedFuture(
                    new End(SourceOutcome.FAILED_STATUS, -1, "the identifier is not valid DICOM JSON"));
        }
        evidence = learning.evidenceFor(task, identifier);
        IgnoredKeys ignored = IgnoredKeys.of(task.source().unmatchedKeys(), identifier);
        try {
            done = ignored.isEmpty()
                    ? execute(identifier, level, filter(identifier, level, this::relay))
                    : executeVerifying(identifier, level, ignored);
        } catch (CFindFailedException e) {
            return CompletableFuture.completedFuture(
                    new End(e.outcome(), -1, e.getMessage(), e.saysNothingAboutSource()));
        }
        // Either the C-FINDs end, or a batch could not be published (and they were cancelled).
        return done.handle(this::outcomeOf).applyToEither(publishFailed, end -> end);
    }

    /** Matches held for the next batch: those the final batch carries once the task has ended. */
    synchronized int unpublished() {
        return batch.size();
    }

    /** Publishes the final batch after every batch before it; completes once the broker confirmed them all. */
    CompletableFuture<Void> publishFinal(End end) {
        synchronized (this) {
            List<byte[]> last = batch;
            batch = new ArrayList<>();
            return send(last, end.outcome(), end.dimseStatus(), end.error(), unverifiedKeys(), verificationBound());
        }
    }

    /** Keywords of the ignored matching keys some relayed match could not be verified for. */
    List<String> unverifiedKeys() {
        return verification == null ? List.of() : verification.unverifiedKeys();
    }

    /** The bound of sub-queries at which the verification stopped, leaving studies unverified; 0 if it did not. */
    int verificationBound() {
        return verification == null ? 0 : verification.boundReached();
    }

    /** What the source's answer says of the matching keys it is trusted to apply. */
    AnswerEvidence evidence() {
        return evidence;
    }

    /** Matches the verification of ignored keys dropped. */
    int droppedByVerification() {
        return verification == null ? 0 : verification.dropped();
    }

    /** C-FINDs sent to verify ignored keys. */
    int verificationFinds() {
        return verificationFinds.get();
    }

    /**
     * Queues a batch behind those before it, under the next sequence number; runs with {@code this} held. A batch
     * after one that failed is not sent.
     */
    private CompletableFuture<Void> send(
            List<byte[]> items,
            SourceOutcome outcome,
            int dimseStatus,
            String error,
            List<String> unverifiedKeys,
            int verificationBound) {
        int number = sequence++;
        relayed += items.size();
        List<byte[]> matches = List.copyOf(items);
        published = published.thenRunAsync(
                () -> publisher.publish(
                        task.replyTo(),
                        new SourceResult(
                                task.queryId(),
                                task.taskId(),
                                task.source().sourceId(),
                                number,
                                matches,
                                outcome,
                                dimseStatus,
                                error,
                                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                                unverifiedKeys,
                                verificationBound)),
                publishing);
        published.whenComplete((v, e) -> {
            if (e != null && publishFailed.completeExceptionally(e)) {
                // the task is given up (and requeued): the PACS need not go on answering
                operations.forEach(FindOperation::cancel);
            }
        });
        return published;
    }

    /**
     * Encodes a match into the next batch, and hands the batch on when it is full. Cut by count alone, never by time:
     * a redelivered task must cut the same batches under the same sequence numbers, or the coordinator's duplicate
     * check by (taskId, sequence) would drop new matches. Runs on event-loop threads; never blocks.
     */
    private void relay(Attributes record) {
        byte[] encoded = DicomWriter.encode(record, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        synchronized (this) {
            batch.add(encoded);
            if (batch.size() >= properties.batchSize()) {
                List<byte[]> full = batch;
                batch = new ArrayList<>();
                send(full, SourceOutcome.RUNNING, Status.PENDING, null, List.of(), 0);
            }
        }
    }

    /**
     * Filters each match against the identifier (keys not sent, or not honoured), drops repeats of a unique key
     * (split queries overlap), and passes it on. Runs on event-loop threads.
     */
    private Consumer<Attributes> filter(Attributes identifier, QueryLevel level, Consumer<Attributes> next) {
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
            next.accept(record);
        };
    }

    /**
     * The C-FINDs of a task whose source ignores some of its matching keys: those keys are sent as return keys, the
     * rest of the identifier re-checked as usual, and the ignored keys verified ({@link KeyVerification}). Where
     * ModalitiesInStudy is verified through the studies' series (per study, or per modality where the source takes
     * relational queries and that costs fewer C-FINDs), the studies found are held until their series are known.
     */
    private CompletableFuture<FindOutcome> executeVerifying(
            Attributes identifier, QueryLevel level, IgnoredKeys ignored) {
        InformationModel seriesModel =
                level == QueryLevel.STUDY && ignored.has(Tag.MODALITIES_IN_STUDY) ? modelWithSeries() : null;
        KeyVerification verifying = new KeyVerification(
                ignored,
                seriesModel != null,
                properties.verificationMaxSubqueries(),
                (study, series) -> seriesOf(seriesModel, study, series),
                identifier,
                KeyVerification.asksByModality(task.source())
                        ? (keys, series) -> askSeries(seriesModel, inUtf8IfNeeded(keys), series)
                        : null);
        verification = verifying;
        Attributes sent = ignored.asReturnKeys(identifier);
        Attributes rest = ignored.without(identifier);
        if (!verifying.bySeries()) {
            return execute(sent, level, filter(rest, level, record -> {
                if (verifying.keep(record)) {
                    relay(record);
                }
            }));
        }
        List<Attributes> studies = Collections.synchronizedList(new ArrayList<>());
        return execute(sent, level, filter(rest, level, studies::add)).thenCompose(outcome -> {
            if (!outcome.isSuccess()) {
                return CompletableFuture.completedFuture(outcome);
            }
            return verifying
                    .verifyStudies(List.copyOf(studies), fanOut, this::relay)
                    .thenApply(verified -> verified.isSuccess() ? outcome : verified);
        });
    }

    /** The source's model for SERIES queries, or {@code null} when it has none (its studies cannot be verified). */
    private InformationModel modelWithSeries() {
        try {
            return QueryAdapter.chooseModel(task.source().informationModels(), QueryLevel.SERIES);
        } catch (CFindFailedException e) {
            return null;
        }
    }

    /**
     * The series of one study, Modality a return key: by StudyInstanceUID (and the PatientID found with it where the
     * model has a patient level), level by level where the source lacks relational queries.
     */
    private CompletableFuture<FindOutcome> seriesOf(
            InformationModel model, Attributes study, Consumer<Attributes> series) {
        Attributes keys = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, QueryLevel.SERIES.code())
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, study.getString(Tag.STUDY_INSTANCE_UID))
                .setNull(Tag.MODALITY, VR.CS);
        String[] patientId = study.getStrings(Tag.PATIENT_ID);
        if (model.hasLevel(QueryLevel.PATIENT) && patientId != null && patientId.length == 1) {
            keys.setString(Tag.PATIENT_ID, VR.LO, patientId[0]);
        }
        return askSeries(model, inUtf8IfNeeded(keys), series);
    }

    /** SERIES-level C-FINDs of the verification, each counted; level by level without relational queries. */
    private CompletableFuture<FindOutcome> askSeries(
            InformationModel model, Attributes keys, Consumer<Attributes> series) {
        HierarchicalFind find = new HierarchicalFind(model, relational(), fanOut, (sopClassUid, keysFor, onMatch) -> {
            verificationFinds.incrementAndGet();
            return ask(sopClassUid, keysFor, onMatch);
        });
        return find.run(QueryLevel.SERIES, keys, series);
    }

    /**
     * The C-FINDs of the task in the model chosen for its level: one per ModalitiesInStudy value where split, each
     * reached level by level where the source lacks relational queries.
     */
    private CompletableFuture<FindOutcome> execute(Attributes identifier, QueryLevel level, Consumer<Attributes> sink) {
        InformationModel model = QueryAdapter.chooseModel(task.source().informationModels(), level);
        List<Attributes> parts;
        if (task.source().usesDicomWeb()) {
            // QIDO-RS takes one value per attribute but UID lists (PS3.18 §8.3.4.1)
            parts = QueryAdapter.splitMultiValued(identifier);
        } else {
            parts = properties.splitModalitiesInStudy() && level == QueryLevel.STUDY
                    ? QueryAdapter.splitModalitiesInStudy(identifier)
                    : List.of(identifier);
        }
        HierarchicalFind find = new HierarchicalFind(model, relational(), fanOut, this::ask);
        return fanOut.run(parts, evidence.counting(sink), (part, partSink) -> find.run(level, part, partSink));
    }

    /**
     * One C-FIND at the source; for a DICOMweb source the QIDO-RS search that asks the same, whose matches take the
     * same path from here on.
     */
    private CompletableFuture<FindOutcome> ask(
            String sopClassUid, Function<QueryOptions, Attributes> keysFor, Consumer<Attributes> onMatch) {
        if (task.source().usesDicomWeb()) {
            return search(keysFor.apply(QueryOptions.RELATIONAL), onMatch);
        }
        return finder.find(ctx, sopClassUid, keysFor, onMatch);
    }

    /**
     * One QIDO-RS search, split where the archive gave as many records as its cap ({@code max_results}) or announced
     * more than paging reached: a series or instance search not below a single study (or series) takes the study-level
     * step ({@link HierarchicalFind} without relational queries, each of its searches split in turn); a study search
     * is asked again as the two halves of its StudyDate range, on a single day of its StudyTime range ({@link
     * StudyPeriodSplit}), down to a single second. Records the capped search gave are relayed as well; the task drops
     * the repeats by UID. A search that cannot be split is counted: the task then ends saying its answer may be
     * incomplete.
     */
    private CompletableFuture<FindOutcome> search(Attributes keys, Consumer<Attributes> onMatch) {
        QueryLevel level = QueryLevel.ofCode(keys.getString(Tag.QUERY_RETRIEVE_LEVEL));
        // a split asks again for what the capped search gave: each record once, so that a study-level step does not
        // ask the series of a study once per search that found it
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        Consumer<Attributes> once = record -> {
            String key = level.uniqueKeyOf(record);
            if (key == null || delivered.add(key)) {
                onMatch.accept(record);
            }
        };
        return qido.find(ctx, keys, () -> running.isCancelled(task.queryId()), once)
                .thenCompose(end -> {
                    if (!end.capped() || !end.outcome().isSuccess()) {
                        return CompletableFuture.completedFuture(end.outcome());
                    }
                    InformationModel model =
                            QueryAdapter.chooseModel(task.source().informationModels(), level);
                    if (QueryAdapter.unresolvedUpperLevel(keys, new Attributes(), model, level)
                            .isPresent()) {
                        HierarchicalFind stepwise = new HierarchicalFind(
                                model,
                                false,
                                fanOut,
                                (sop, keysFor, m) -> search(keysFor.apply(QueryOptions.RELATIONAL), m));
                        return stepwise.run(level, keys, once);
                    }
                    List<Attributes> halves = level == QueryLevel.STUDY ? StudyPeriodSplit.halves(keys) : List.of();
                    if (!halves.isEmpty()) {
                        return fanOut.run(halves, once, this::search);
                    }
                    cappedSearches.incrementAndGet();
                    return CompletableFuture.completedFuture(end.outcome());
                });
    }

    /** Whether the source is asked a level without the unique keys above it. */
    private boolean relational() {
        return task.source().relationalQueries();
    }

    private End outcomeOf(FindOutcome o, Throwable failure) {
        if (failure != null) {
            Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
            if (cause instanceof CFindFailedException f) {
                SourceOutcome out = running.isCancelled(task.queryId()) ? SourceOutcome.CANCELLED : f.outcome();
                return new End(out, -1, f.getMessage(), f.saysNothingAboutSource());
            }
            LOG.error("task {}: C-FIND failed unexpectedly", task.taskId(), cause);
            return new End(SourceOutcome.FAILED_STATUS, -1, "worker error: " + cause);
        }
        if (o.isCancelled()) {
            return new End(SourceOutcome.CANCELLED, o.status(), "cancelled");
        }
        if (o.isFailure()) {
            return new End(
                    SourceOutcome.FAILED_STATUS,
                    o.status(),
                    // the error comment stays out: a PACS may echo query values (PHI) in it
                    "the source answered " + Status.toString(o.status()));
        }
        if (cappedSearches.get() > 0) {
            return new End(
                    SourceOutcome.FAILED_STATUS,
                    o.status(),
                    cappedSearches.get() + " of its searches gave as many results as it gives at most ("
                            + (task.source().dicomweb().maxResults() > 0
                                    ? "max_results " + task.source().dicomweb().maxResults()
                                    : "its Warning said more remain")
                            + ") and could not be split further: its answer may be incomplete");
        }
        return new End(SourceOutcome.SUCCESS, o.status(), null);
    }

    /** See {@link QueryAdapter#inUtf8IfNeeded}. */
    static Attributes inUtf8IfNeeded(Attributes identifier) {
        return QueryAdapter.inUtf8IfNeeded(identifier);
    }
}
