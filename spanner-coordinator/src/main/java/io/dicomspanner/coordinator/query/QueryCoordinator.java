package io.dicomspanner.coordinator.query;

import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.QueryStatus;
import io.dicomspanner.common.messaging.SharedAnswer;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SourceResult;
import io.dicomspanner.common.messaging.SourceTask;
import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.common.query.ResultPage;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.common.querylog.QueryLogEntry;
import io.dicomspanner.common.querylog.QueryLogWriter;
import io.dicomspanner.coordinator.CoordinatorProperties;
import io.dicomspanner.coordinator.cache.InFlightQueries;
import io.dicomspanner.coordinator.cache.ResultCache;
import io.dicomspanner.coordinator.cache.SafeRedis;
import io.dicomspanner.coordinator.config.MappedSource;
import io.dicomspanner.coordinator.config.SpanningConfig;
import io.dicomspanner.coordinator.config.SpanningConfigRepository;
import io.dicomspanner.coordinator.fanout.CFindIdentifiers;
import io.dicomspanner.coordinator.fanout.TaskPublisher;
import io.dicomspanner.coordinator.merge.MergeSession;
import io.dicomspanner.coordinator.merge.MergeSource;
import io.dicomspanner.coordinator.merge.MergeStatistics;
import io.dicomspanner.coordinator.merge.SourceStatistics;
import io.dicomspanner.coordinator.metrics.CoordinatorMetrics;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomParseException;
import io.dicomspanner.dicom.data.DicomReader;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.json.DicomJsonWriter;
import io.dicomspanner.dicom.match.InvalidMatchingKeyException;
import io.dicomspanner.dicom.match.MatchOptions;
import io.dicomspanner.dicom.match.QueryMatcher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;

/**
 * One spanning query's life, from the span request to its final answer: config, cache, coalescing, fan-out, merge as
 * batches arrive, deadlines, failure strategy, answer, status, query log, metrics.
 */
@Service
public class QueryCoordinator {

    private static final Logger log = LoggerFactory.getLogger(QueryCoordinator.class);

    private final SpanningConfigRepository configs;
    private final ResultCache cache;
    private final InFlightQueries inFlight;
    private final TaskPublisher tasks;
    private final QueryAnswers answers;
    private final QueryLogWriter queryLog;
    private final CoordinatorMetrics metrics;
    private final CoordinatorProperties properties;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final String resultsQueue;
    private final DicomJsonWriter dicomJson = new DicomJsonWriter();

    private final Map<String, QueryRun> runs = new ConcurrentHashMap<>();

    public QueryCoordinator(
            SpanningConfigRepository configs,
            ResultCache cache,
            InFlightQueries inFlight,
            TaskPublisher tasks,
            QueryAnswers answers,
            QueryLogWriter queryLog,
            CoordinatorMetrics metrics,
            CoordinatorProperties properties,
            ScheduledExecutorService queryTimers,
            Clock clock) {
        this.configs = configs;
        this.cache = cache;
        this.inFlight = inFlight;
        this.tasks = tasks;
        this.answers = answers;
        this.queryLog = queryLog;
        this.metrics = metrics;
        this.properties = properties;
        this.timers = queryTimers;
        this.clock = clock;
        this.resultsQueue = Topology.RESULTS_QUEUE_PREFIX + properties.instanceId();
    }

    /**
     * Takes a span request: answers it from the cache or an identical query in flight, or fans it out. {@code ack} is
     * given once the final answer is out.
     */
    void handle(SpanRequest request, RequestAck ack) {
        if (ack.redelivered()) {
            log.info(
                    "span request {} redelivered (a coordinator did not answer it); running it afresh",
                    request.queryId());
        }
        Instant startedAt = clock.instant();
        long startNanos = System.nanoTime();
        SpanQuery query = request.query();
        Optional<SpanningConfig> resolved;
        try {
            resolved = configs.resolve(query.configId());
        } catch (DataAccessException e) {
            log.error("config {} of query {} not readable", query.configId(), request.queryId(), e);
            refuse(request, ack, null, startedAt, startNanos, "the configuration store is unavailable");
            return;
        }
        if (resolved.isEmpty() || !resolved.get().enabled()) {
            refuse(
                    request,
                    ack,
                    null,
                    startedAt,
                    startNanos,
                    "spanner config " + query.configId() + " is unknown or disabled");
            return;
        }
        SpanningConfig config = resolved.get();
        QueryMatcher recheck;
        try {
            recheck = QueryMatcher.compile(CFindIdentifiers.matchingKeys(query), MatchOptions.RECHECK);
        } catch (InvalidMatchingKeyException e) {
            refuse(request, ack, config, startedAt, startNanos, "invalid matching key: " + e.getMessage());
            return;
        }
        String retrieveBase = retrieveBaseOf(request);
        String hash = query.answerHash(retrieveBase);
        if (ResultCache.enabledFor(config)) {
            Optional<SharedAnswer> hit = cache.lookUp(config, hash);
            if (hit.isPresent()) {
                answerShared(request, ack, config, hit.get(), true, startedAt, startNanos);
                return;
            }
        }
        long answerBy = answerBy(request);
        Duration left = Duration.ofMillis(Math.max(1, answerBy - clock.millis()));
        // A redelivered request may find the in-flight key its own first run took on a coordinator that died: it
        // takes the key over and runs afresh rather than waiting for an announcement that will never come.
        InFlightQueries.Role role = inFlight.join(config, hash, request.queryId(), left, left);
        if (role instanceof InFlightQueries.Follower follower) {
            writeRunningStatus(request, config, startedAt, true);
            follower.answer()
                    .thenAcceptAsync(
                            shared -> followerDone(
                                    request, ack, config, recheck, retrieveBase, shared, startedAt, startNanos),
                            timers);
        } else {
            InFlightQueries.Owner owner = role instanceof InFlightQueries.Owner o ? o : null;
            start(request, ack, config, recheck, retrieveBase, owner, startedAt, startNanos);
        }
    }

    /**
     * The base of this request's Retrieve URLs: the entry's (it knows where its clients reach it), else the
     * coordinator's {@code dicomweb-base-url} followed by the config id; empty for none.
     */
    private String retrieveBaseOf(SpanRequest request) {
        if (request.retrieveBaseUrl() != null && !request.retrieveBaseUrl().isBlank()) {
            return request.retrieveBaseUrl().strip();
        }
        String own = properties.dicomwebBaseUrl();
        return own == null || own.isBlank()
                ? ""
                : own.strip() + "/" + request.query().configId();
    }

    /** A follower's wait is over: answer from the owner's answer, or fan out alone if none came in time. */
    private void followerDone(
            SpanRequest request,
            RequestAck ack,
            SpanningConfig config,
            QueryMatcher recheck,
            String retrieveBase,
            Optional<SharedAnswer> shared,
            Instant startedAt,
            long startNanos) {
        try {
            if (shared.isPresent()) {
                metrics.coalescedQuery();
                answerShared(request, ack, config, shared.get(), false, startedAt, startNanos);
            } else {
                start(request, ack, config, recheck, retrieveBase, null, startedAt, startNanos);
            }
        } catch (RuntimeException e) {
            log.error("coalesced query {} failed; dead-lettered", request.queryId(), e);
            ack.rejected();
        }
    }

    /** Takes a batch of one source's results. */
    public void accept(SourceResult result) {
        QueryRun run = runs.get(result.queryId());
        if (run == null) {
            log.debug("batch of query {} arrived after its answer, ignored", result.queryId());
            return;
        }
        synchronized (run) {
            if (run.isFinished() || !run.firstSight(result.taskId(), result.sequence())) {
                return;
            }
            SourceProgress progress = run.byTaskId.get(result.taskId());
            if (progress == null || progress.isFinal()) {
                return;
            }
            List<byte[]> matches = result.matches() == null ? List.of() : result.matches();
            List<Attributes> records = new ArrayList<>(matches.size());
            for (byte[] match : matches) {
                try {
                    records.add(DicomReader.read(match, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
                } catch (DicomParseException e) {
                    log.warn(
                            "unreadable match from source {} in query {} dropped: {}",
                            result.sourceId(),
                            result.queryId(),
                            e.getMessage());
                }
            }
            metrics.sourceResults(progress.source.sourceId(), matches.size());
            run.merge.accept(progress.mergeId(), records);
            progress.latencyMillis = result.latencyMillis();
            if (result.outcome() != null && result.outcome().isFinal()) {
                // Before its verdict the coordinator itself cancels nothing: a CANCELLED task was the entry's doing.
                run.cancelledByEntry |= result.outcome() == SourceOutcome.CANCELLED;
                run.sourceEnded(progress, result.outcome(), result.error());
                sendWaiting(run);
            }
            stream(run);
            decide(run);
        }
    }

    private void start(
            SpanRequest request,
            RequestAck ack,
            SpanningConfig config,
            QueryMatcher recheck,
            String retrieveBase,
            InFlightQueries.Owner owner,
            Instant startedAt,
            long startNanos) {
        SpanQuery query = request.query();
        List<MergeSource> mergeSources = new ArrayList<>();
        for (MappedSource s : config.sources()) {
            mergeSources.add(new MergeSource(
                    Long.toString(s.sourceId()), s.priority(), s.endpoint().aeTitle()));
        }
        MergeSession merge = new MergeSession(query.level(), config.mergePolicy(), mergeSources, recheck::matches);
        QueryRun run = new QueryRun(
                request,
                config,
                query.answerHash(retrieveBase),
                AnswerShaper.of(query, retrieveBase),
                merge,
                startedAt,
                startNanos,
                owner,
                ack);
        synchronized (run) {
            runs.put(request.queryId(), run);
            for (MappedSource source : config.sources()) {
                run.add(new SourceProgress(source, request.queryId() + ":" + source.sourceId()));
            }
            sendWaiting(run);
            decide(run);
        }
    }

    /**
     * Sends the tasks of the sources that may be asked now: up to the config's {@code max_concurrent_sources} at once,
     * best priority first; the others when earlier ones end. Nothing more once the query has a verdict.
     */
    private void sendWaiting(QueryRun run) {
        SourceProgress next;
        while (!run.verdict().isFinal() && (next = run.nextToSend()) != null) {
            long now = clock.millis();
            next.sent = true;
            next.deadlineEpochMillis = Math.min(now + next.source.timeoutSeconds() * 1000L, answerBy(run.request));
            fanOut(run, next, now);
        }
    }

    private void fanOut(QueryRun run, SourceProgress progress, long now) {
        SpanQuery query = run.request.query();
        MappedSource source = progress.source;
        String identifier;
        try {
            identifier = dicomJson.toJson(CFindIdentifiers.forSource(query, source.additionalQueryFilters()));
        } catch (IllegalArgumentException e) {
            run.sourceEnded(progress, SourceOutcome.FAILED_STATUS, e.getMessage());
            return;
        }
        SourceTask task = new SourceTask(
                run.request.queryId(),
                progress.taskId,
                source.endpoint(),
                query.level(),
                identifier,
                progress.deadlineEpochMillis,
                resultsQueue,
                run.config.retryAttempts());
        try {
            if (!tasks.publish(task, now)) {
                run.sourceEnded(progress, SourceOutcome.TIMEOUT, "the deadline passed before the task was sent");
                return;
            }
        } catch (AmqpException e) {
            log.error("task of query {} for source {} not published", task.queryId(), source.sourceId(), e);
            run.sourceEnded(progress, SourceOutcome.CONNECTION_FAILED, "task not published: " + e.getMessage());
            return;
        }
        long delay = Math.max(0, progress.deadlineEpochMillis - now);
        run.timers.add(timers.schedule(() -> deadlinePassed(run, progress), delay, TimeUnit.MILLISECONDS));
    }

    private void deadlinePassed(QueryRun run, SourceProgress progress) {
        try {
            synchronized (run) {
                if (run.isFinished() || progress.isFinal()) {
                    return;
                }
                run.sourceEnded(progress, SourceOutcome.TIMEOUT, "no final answer before the deadline");
                sendWaiting(run);
                stream(run);
                decide(run);
            }
        } catch (RuntimeException e) {
            log.error("deadline of query {} not handled", run.request.queryId(), e);
        }
    }

    /** With {@code streamMatches}, sends the results that have become final; the last answer carries the rest. */
    private void stream(QueryRun run) {
        if (!run.request.streamMatches() || run.request.replyTo() == null) {
            return;
        }
        List<Attributes> ready = run.merge.takeFinal();
        if (ready.isEmpty()) {
            return;
        }
        List<byte[]> matches = encode(run, ready);
        answers.send(
                run.request,
                new SpanAnswer(
                        run.request.queryId(),
                        matches,
                        false,
                        QueryState.RUNNING,
                        List.of(),
                        run.merge.statistics().recordsAfterDeduplication(),
                        0,
                        false));
    }

    /** Applies the failure strategy; ends the query once it has a verdict. */
    private void decide(QueryRun run) {
        QueryState verdict = run.verdict();
        if (verdict.isFinal()) {
            finish(run, verdict);
        } else {
            progressed(run);
        }
    }

    /**
     * The running status in Redis follows the query's progress at most every {@code status-progress-interval}: the
     * first write at once, later changes within the interval in one write at its end. A query that ends sooner has
     * just its first and final status written, instead of one write per result batch.
     */
    private void progressed(QueryRun run) {
        long interval = properties.statusProgressInterval().toNanos();
        long since = System.nanoTime() - run.statusWrittenNanos;
        if (!run.statusWritten || since >= interval) {
            writeStatus(run);
        } else if (run.statusFlush == null) {
            run.statusFlush = timers.schedule(() -> flushStatus(run), interval - since, TimeUnit.NANOSECONDS);
            run.timers.add(run.statusFlush);
        }
    }

    private void flushStatus(QueryRun run) {
        try {
            synchronized (run) {
                run.statusFlush = null;
                if (!run.isFinished()) {
                    writeStatus(run);
                }
            }
        } catch (RuntimeException e) {
            log.error("status of query {} not written", run.request.queryId(), e);
        }
    }

    private void finish(QueryRun run, QueryState state) {
        run.state = state;
        runs.remove(run.request.queryId());
        run.timers.forEach(t -> t.cancel(false));
        boolean endedEarly = false;
        for (SourceProgress p : run.sources.values()) {
            if (!p.isFinal() && !p.sent) {
                boolean late = clock.millis() >= answerBy(run.request);
                run.sourceEnded(
                        p,
                        late ? SourceOutcome.TIMEOUT : SourceOutcome.CANCELLED,
                        late ? "not asked before the deadline" : "not asked: the query was decided without it");
            } else if (!p.isFinal()) {
                endedEarly = true;
                boolean late = clock.millis() >= p.deadlineEpochMillis;
                run.sourceEnded(
                        p,
                        late ? SourceOutcome.TIMEOUT : SourceOutcome.CANCELLED,
                        late ? "no final answer before the deadline" : "not needed: the query was decided without it");
            }
        }
        if (endedEarly) {
            try {
                tasks.cancel(run.request.queryId());
            } catch (AmqpException e) {
                log.error("cancellation of query {} not broadcast", run.request.queryId(), e);
            }
        }
        boolean hasResults = state == QueryState.COMPLETE || state == QueryState.PARTIAL;
        boolean cacheable = state == QueryState.COMPLETE && !run.cancelledByEntry && ResultCache.enabledFor(run.config);
        MergeStatistics statistics = run.merge.statistics();
        List<SpanAnswer.SourceFailure> failures = failures(run);
        List<QueryStatus.SourceStatus> sourceStatuses = sourceStatuses(run, statistics);
        SpanQuery query = run.request.query();
        List<byte[]> pageRecords;
        int total = statistics.recordsAfterDeduplication();
        int remaining = 0;
        List<byte[]> all = null;
        List<SafeRedis.Write> shareWrites = new ArrayList<>();
        if (run.owner != null || cacheable) {
            all = hasResults ? encode(run, run.merge.result()) : List.of();
            if (run.cancelledByEntry) {
                // never cacheable; the followers fan out themselves, so no shared answer is made
                shareWrites.addAll(inFlight.abandon(run.owner));
            } else {
                String encoded = cache.encode(new SharedAnswer(
                        state,
                        all,
                        failures,
                        statistics.recordsBeforeDeduplication(),
                        statistics.recordsAfterDeduplication(),
                        statistics.conflicts().size(),
                        sourceStatuses,
                        properties.maxResults()));
                if (cacheable) {
                    shareWrites.add(cache.store(run.config, run.answerHash, encoded));
                }
                if (run.owner != null) {
                    shareWrites.addAll(inFlight.announce(run.owner, encoded));
                }
            }
        }
        if (!hasResults) {
            pageRecords = List.of();
        } else if (run.request.streamMatches()) {
            pageRecords = encode(run, run.merge.takeFinal());
        } else if (all != null) {
            ResultPage<byte[]> page = ResultPage.of(all, query.offset(), query.pageLimit(), properties.maxResults());
            pageRecords = page.items();
            remaining = page.remaining();
        } else {
            ResultPage<Attributes> page = run.merge.page(query.offset(), query.pageLimit(), properties.maxResults());
            pageRecords = encode(run, page.items());
            remaining = page.remaining();
        }
        // Cache entry, announcement, result and status first, in one round trip: an entry point may read them as soon
        // as it has the answer.
        long completed = clock.millis();
        answers.finalWrites(
                shareWrites,
                run.request,
                pageRecords,
                new QueryStatus(
                        run.request.queryId(),
                        run.config.id(),
                        run.config.version(),
                        query.level().name(),
                        state,
                        run.startedAt.toEpochMilli(),
                        completed,
                        false,
                        false,
                        statistics.recordsBeforeDeduplication(),
                        statistics.recordsAfterDeduplication(),
                        statistics.conflicts().size(),
                        sourceStatuses));
        answers.send(
                run.request,
                new SpanAnswer(run.request.queryId(), pageRecords, true, state, failures, total, remaining, false));
        run.ack.answered();
        int answered = 0;
        for (SourceProgress p : run.sources.values()) {
            if (p.outcome.isSuccess()) {
                answered++;
            }
            metrics.sourceEnded(p.source.sourceId(), p.outcome);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - run.startNanos);
        logQuery(new QueryLogEntry(
                run.request,
                run.startedAt,
                run.config.version(),
                run.sources.size(),
                answered,
                run.sources.size() - answered,
                statistics.recordsBeforeDeduplication(),
                statistics.recordsAfterDeduplication(),
                took.toMillis(),
                state,
                QueryLogEntry.errorOf(failures)));
        metrics.queryFinished(query.level().name(), run.request.entryPoint(), state, took);
    }

    /** Off the thread that merges: the insert must not hold up other queries' batches. */
    private void logQuery(QueryLogEntry entry) {
        timers.execute(() -> queryLog.write(entry));
    }

    /** Answers from a cached answer or from the identical query this one waited for. */
    private void answerShared(
            SpanRequest request,
            RequestAck ack,
            SpanningConfig config,
            SharedAnswer shared,
            boolean fromCache,
            Instant startedAt,
            long startNanos) {
        SpanQuery query = request.query();
        List<byte[]> records;
        int remaining = 0;
        if (request.streamMatches()) {
            records = shared.records();
        } else {
            ResultPage<byte[]> page =
                    ResultPage.of(shared.records(), query.offset(), query.pageLimit(), properties.maxResults());
            records = page.items();
            remaining = page.remaining();
        }
        answers.finalWrites(
                List.of(),
                request,
                records,
                shared.statusOf(
                        request.queryId(),
                        config.id(),
                        config.version(),
                        query.level().name(),
                        startedAt.toEpochMilli(),
                        clock.millis(),
                        fromCache));
        answers.send(
                request,
                new SpanAnswer(
                        request.queryId(),
                        records,
                        true,
                        shared.state(),
                        shared.failures(),
                        shared.matchesAfterDeduplication(),
                        remaining,
                        fromCache));
        ack.answered();
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        logQuery(QueryLogEntry.ofShared(request, startedAt, config.version(), shared, took.toMillis()));
        metrics.queryFinished(query.level().name(), request.entryPoint(), shared.state(), took);
    }

    /** A query that cannot be asked at all (unknown config, invalid key): FAILED, nothing sent to any source. */
    private void refuse(
            SpanRequest request,
            RequestAck ack,
            SpanningConfig config,
            Instant startedAt,
            long startNanos,
            String why) {
        SpanQuery query = request.query();
        answers.status(new QueryStatus(
                request.queryId(),
                query.configId(),
                config == null ? 0 : config.version(),
                query.level().name(),
                QueryState.FAILED,
                startedAt.toEpochMilli(),
                clock.millis(),
                false,
                false,
                0,
                0,
                0,
                List.of()));
        answers.send(
                request,
                new SpanAnswer(
                        request.queryId(),
                        List.of(),
                        true,
                        QueryState.FAILED,
                        List.of(new SpanAnswer.SourceFailure(0, "", "", SourceOutcome.REFUSED, why)),
                        0,
                        0,
                        false));
        ack.answered();
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        logQuery(new QueryLogEntry(
                request,
                startedAt,
                config == null ? null : config.version(),
                0,
                0,
                0,
                0,
                0,
                took.toMillis(),
                QueryState.FAILED,
                why));
        metrics.queryFinished(query.level().name(), request.entryPoint(), QueryState.FAILED, took);
    }

    private void writeRunningStatus(SpanRequest request, SpanningConfig config, Instant startedAt, boolean coalesced) {
        answers.status(new QueryStatus(
                request.queryId(),
                config.id(),
                config.version(),
                request.query().level().name(),
                QueryState.RUNNING,
                startedAt.toEpochMilli(),
                null,
                false,
                coalesced,
                0,
                0,
                0,
                List.of()));
    }

    private void writeStatus(QueryRun run) {
        run.statusWritten = true;
        run.statusWrittenNanos = System.nanoTime();
        MergeStatistics statistics = run.merge.statistics();
        answers.status(new QueryStatus(
                run.request.queryId(),
                run.config.id(),
                run.config.version(),
                run.request.query().level().name(),
                run.state,
                run.startedAt.toEpochMilli(),
                null,
                false,
                false,
                statistics.recordsBeforeDeduplication(),
                statistics.recordsAfterDeduplication(),
                statistics.conflicts().size(),
                sourceStatuses(run, statistics)));
    }

    private static List<QueryStatus.SourceStatus> sourceStatuses(QueryRun run, MergeStatistics statistics) {
        List<QueryStatus.SourceStatus> out = new ArrayList<>();
        for (SourceProgress p : run.sources.values()) {
            SourceStatistics s = statistics.sources().stream()
                    .filter(x -> x.sourceId().equals(p.mergeId()))
                    .findFirst()
                    .orElseThrow();
            out.add(new QueryStatus.SourceStatus(
                    p.source.sourceId(),
                    p.source.endpoint().name(),
                    p.source.endpoint().aeTitle(),
                    p.outcome,
                    s.accepted(),
                    s.filteredByRecheck(),
                    p.latencyMillis,
                    p.error));
        }
        return out;
    }

    private static List<SpanAnswer.SourceFailure> failures(QueryRun run) {
        List<SpanAnswer.SourceFailure> failures = new ArrayList<>();
        for (SourceProgress p : run.sources.values()) {
            if (!p.outcome.isSuccess()) {
                failures.add(new SpanAnswer.SourceFailure(
                        p.source.sourceId(),
                        p.source.endpoint().name(),
                        p.source.endpoint().aeTitle(),
                        p.outcome,
                        p.error == null ? p.outcome.name() : p.error));
            }
        }
        return failures;
    }

    private List<byte[]> encode(QueryRun run, List<Attributes> records) {
        List<byte[]> out = new ArrayList<>(records.size());
        for (Attributes record : records) {
            out.add(run.shaper.encode(record));
        }
        return out;
    }

    private long answerBy(SpanRequest request) {
        return request.deadlineEpochMillis() - properties.answerMargin().toMillis();
    }
}
