package io.dicomspanner.coordinator.query;

import io.dicomspanner.common.answer.SharedAnswerReply;
import io.dicomspanner.common.answer.TakenQuery;
import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.SharedAnswer;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SourceResult;
import io.dicomspanner.common.messaging.SourceTask;
import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.common.messaging.Topology;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;

/**
 * One spanning query's life, from the span request to its final answer: config, cache, coalescing, fan-out, merge as
 * batches arrive, deadlines, answer, status, query log, metrics. The I/O is done here; the query's state and its
 * decisions are its {@link QueryRun}'s, the failure strategy's verdict {@link FailureVerdict}'s, and the final answer,
 * status and query-log row come from a {@link QueryOutcome} or a {@link SharedAnswerReply}.
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
    private final SourceLatencies latencies;
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
            SourceLatencies latencies,
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
        this.latencies = latencies;
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
        TakenQuery taken = TakenQuery.takenNow(request, clock.instant());
        SpanQuery query = request.query();
        Optional<SpanningConfig> resolved;
        try {
            resolved = configs.resolve(query.configId());
        } catch (DataAccessException e) {
            log.error("config {} of query {} not readable", query.configId(), request.queryId(), e);
            refuse(taken, ack, "the configuration store is unavailable");
            return;
        }
        if (resolved.isEmpty() || !resolved.get().enabled()) {
            refuse(taken, ack, "spanner config " + query.configId() + " is unknown or disabled");
            return;
        }
        SpanningConfig config = resolved.get();
        TakenQuery underConfig = taken.under(config.version());
        QueryMatcher recheck;
        try {
            recheck = QueryMatcher.compile(CFindIdentifiers.matchingKeys(query), MatchOptions.RECHECK);
        } catch (InvalidMatchingKeyException e) {
            refuse(underConfig, ack, "invalid matching key: " + e.getMessage());
            return;
        }
        answerOrFanOut(underConfig, ack, new QueryPlan(config, recheck, retrieveBaseOf(request), answerBy(request)));
    }

    /** A valid query: answered from the cache, from an identical query in flight, or fanned out. */
    private void answerOrFanOut(TakenQuery taken, RequestAck ack, QueryPlan plan) {
        SpanningConfig config = plan.config();
        String hash = taken.request().query().answerHash(plan.retrieveBase());
        if (ResultCache.enabledFor(config)) {
            Optional<SharedAnswer> hit = cache.lookUp(config, hash);
            if (hit.isPresent()) {
                answerShared(taken, ack, hit.get(), true);
                return;
            }
        }
        Duration left = Duration.ofMillis(Math.max(1, plan.answerBy() - clock.millis()));
        // A redelivered request may find the in-flight key its own first run took on a coordinator that died: it
        // takes the key over and runs afresh rather than waiting for an announcement that will never come.
        InFlightQueries.Role role = inFlight.join(config, hash, taken.queryId(), left, left);
        if (role instanceof InFlightQueries.Follower follower) {
            answers.status(taken.status().coalesced(true).build());
            follower.answer().thenAcceptAsync(shared -> followerDone(taken, ack, plan, shared), timers);
        } else {
            InFlightQueries.Owner owner = role instanceof InFlightQueries.Owner o ? o : null;
            start(taken, ack, plan, owner);
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
    private void followerDone(TakenQuery taken, RequestAck ack, QueryPlan plan, Optional<SharedAnswer> shared) {
        try {
            if (shared.isPresent()) {
                metrics.coalescedQuery();
                answerShared(taken, ack, shared.get(), false);
            } else {
                start(taken, ack, plan, null);
            }
        } catch (RuntimeException e) {
            log.error("coalesced query {} failed; dead-lettered", taken.queryId(), e);
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
            SourceProgress progress = run.byTaskId(result.taskId());
            if (progress == null || progress.isFinal()) {
                return;
            }
            List<byte[]> matches = result.matches() == null ? List.of() : result.matches();
            List<Attributes> records = readable(result, matches);
            metrics.sourceResults(progress.source.sourceId(), matches.size());
            if (result.outcome() != null
                    && result.outcome().isFinal()
                    && result.outcome() != SourceOutcome.CANCELLED) { // a cancelled task says nothing of its PACS
                latencies.observe(progress.source.sourceId(), result.latencyMillis());
            }
            if (run.resultArrived(progress, records, result)) {
                sendWaiting(run);
            }
            stream(run);
            decide(run);
        }
    }

    /** The matches of a batch that can be read; the others are dropped (and logged). */
    private static List<Attributes> readable(SourceResult result, List<byte[]> matches) {
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
        return records;
    }

    private void start(TakenQuery taken, RequestAck ack, QueryPlan plan, InFlightQueries.Owner owner) {
        QueryRun run = new QueryRun(taken, plan, owner, ack, clock, latencies::expectedMillis);
        synchronized (run) {
            runs.put(taken.queryId(), run);
            sendWaiting(run);
            decide(run);
        }
    }

    /**
     * Sends the tasks of the sources that may be asked now: up to the config's {@code max_concurrent_sources} at once,
     * best priority first; the others when earlier ones end. Nothing more once the query has a verdict.
     */
    private void sendWaiting(QueryRun run) {
        while (true) {
            long now = clock.millis();
            SourceProgress next = run.sendNext(now);
            if (next == null) {
                return;
            }
            fanOut(run, next, now);
        }
    }

    private void fanOut(QueryRun run, SourceProgress progress, long now) {
        SpanQuery query = run.request().query();
        MappedSource source = progress.source;
        String identifier;
        try {
            identifier = run.identifierFor(
                    source.additionalQueryFilters(),
                    filters -> dicomJson.toJson(CFindIdentifiers.forSource(query, filters)));
        } catch (IllegalArgumentException e) {
            run.sourceEnded(progress, SourceOutcome.FAILED_STATUS, e.getMessage());
            return;
        }
        SourceTask task = new SourceTask(
                run.queryId(),
                progress.taskId,
                source.endpoint(),
                query.level(),
                identifier,
                progress.deadlineEpochMillis(),
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
        long delay = Math.max(0, progress.deadlineEpochMillis() - now);
        run.addTimer(timers.schedule(() -> deadlinePassed(run, progress), delay, TimeUnit.MILLISECONDS));
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
            log.error("deadline of query {} not handled", run.queryId(), e);
        }
    }

    /** With {@code streamMatches}, sends the results that have become final; the last answer carries the rest. */
    private void stream(QueryRun run) {
        if (!run.request().streamMatches() || run.request().replyTo() == null) {
            return;
        }
        SpanAnswer streamed = run.takeStreamed();
        if (streamed != null) {
            answers.send(run.request(), streamed);
        }
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
        long delay = run.statusWriteDelay(
                System.nanoTime(), properties.statusProgressInterval().toNanos());
        if (delay == 0) {
            writeStatus(run);
        } else if (!run.statusFlushPending()) {
            run.statusFlushScheduled(timers.schedule(() -> flushStatus(run), delay, TimeUnit.NANOSECONDS));
        }
    }

    private void flushStatus(QueryRun run) {
        try {
            synchronized (run) {
                run.statusFlushed();
                if (!run.isFinished()) {
                    writeStatus(run);
                }
            }
        } catch (RuntimeException e) {
            log.error("status of query {} not written", run.queryId(), e);
        }
    }

    private void writeStatus(QueryRun run) {
        answers.status(run.runningStatus(System.nanoTime()));
    }

    /**
     * Ends the query with its verdict: the sources still asked are told to stop, the answer is shared (result cache,
     * identical queries waiting) and given, then logged and counted.
     */
    private void finish(QueryRun run, QueryState verdict) {
        runs.remove(run.queryId());
        if (run.finish(verdict)) {
            cancelTasks(run);
        }
        QueryOutcome outcome = run.outcome();
        List<byte[]> all = run.sharesItsAnswer() ? run.wholeAnswer(outcome) : null;
        List<SafeRedis.Write> shareWrites = all == null ? List.of() : share(run, outcome, all);
        QueryRun.Page page = run.finalPage(outcome, all, properties.maxResults());
        // Cache entry, announcement, result and status first, in one round trip: an entry point may read them as soon
        // as it has the answer.
        answers.finalWrites(
                shareWrites, run.request(), page.records(), outcome.conflicts(), outcome.status(clock.millis()));
        answers.send(
                run.request(), outcome.answer(page.records(), page.remaining()).afterStreamed(run.streamedAnswers()));
        run.ack.answered();
        for (SourceProgress p : run.sources()) {
            metrics.sourceEnded(p.source.sourceId(), p.outcome());
        }
        answered(run.query, outcome.state(), outcome::logEntry);
    }

    private void cancelTasks(QueryRun run) {
        try {
            tasks.cancel(run.queryId());
        } catch (AmqpException e) {
            log.error("cancellation of query {} not broadcast", run.queryId(), e);
        }
    }

    /** The writes that share the whole answer: the result cache's entry, the announcement to identical queries. */
    private List<SafeRedis.Write> share(QueryRun run, QueryOutcome outcome, List<byte[]> all) {
        if (run.cancelledByEntry()) {
            // never cacheable; the followers fan out themselves, so no shared answer is made
            return inFlight.abandon(run.owner);
        }
        String encoded = cache.encode(outcome.shared(all, properties.maxResults()));
        List<SafeRedis.Write> writes = new ArrayList<>();
        if (run.isCacheable()) {
            writes.add(cache.store(run.config, run.answerHash, encoded));
        }
        if (run.owner != null) {
            writes.addAll(inFlight.announce(run.owner, encoded));
        }
        return writes;
    }

    /**
     * Answers from a cached answer or from the identical query this one waited for, paged by the shared answer's
     * {@code max-results} as the api-gateway pages it (this coordinator's for an entry that does not say).
     */
    private void answerShared(TakenQuery taken, RequestAck ack, SharedAnswer shared, boolean fromCache) {
        SharedAnswer paged = shared.orMaxResults(properties.maxResults());
        SharedAnswerReply reply = fromCache
                ? SharedAnswerReply.fromCache(taken, paged, clock.millis())
                : SharedAnswerReply.coalesced(taken, paged, clock.millis());
        answers.finalWrites(List.of(), taken.request(), reply.answer().matches(), List.of(), reply.status());
        answers.send(taken.request(), reply.answer());
        ack.answered();
        answered(taken, reply.state(), reply::logEntry);
    }

    /** A query that cannot be asked at all (unknown config, invalid key): FAILED, nothing sent to any source. */
    private void refuse(TakenQuery taken, RequestAck ack, String why) {
        QueryOutcome refused = QueryOutcome.refused(taken, "spanner coordinator " + properties.instanceId(), why);
        answers.status(refused.status(clock.millis()));
        answers.send(taken.request(), refused.answer(List.of(), 0));
        ack.answered();
        answered(taken, refused.state(), refused::logEntry);
    }

    /** The answer is out: the query is logged (off this thread) and counted with the time it took. */
    private void answered(TakenQuery taken, QueryState state, Function<Duration, QueryLogEntry> logEntry) {
        Duration took = taken.sinceTaken();
        QueryLogEntry entry = logEntry.apply(took);
        // Off the thread that merges: the insert must not hold up other queries' batches.
        timers.execute(() -> queryLog.write(entry));
        SpanRequest request = taken.request();
        metrics.queryFinished(request.query().level().name(), request.entryPoint(), state, took);
    }

    private long answerBy(SpanRequest request) {
        return request.deadlineEpochMillis() - properties.answerMargin().toMillis();
    }
}
