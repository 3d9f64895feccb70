package io.dicomspanner.coordinator.query;

import io.dicomspanner.common.answer.TakenQuery;
import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.QueryStatus;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SourceResult;
import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.common.query.ResultPage;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.coordinator.cache.InFlightQueries;
import io.dicomspanner.coordinator.cache.ResultCache;
import io.dicomspanner.coordinator.config.MappedSource;
import io.dicomspanner.coordinator.config.SpanningConfig;
import io.dicomspanner.coordinator.merge.MergeSession;
import io.dicomspanner.coordinator.merge.MergeSource;
import io.dicomspanner.coordinator.merge.MergeStatistics;
import io.dicomspanner.coordinator.merge.SourceStatistics;
import io.dicomspanner.dicom.data.Attributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Function;
import java.util.function.LongUnaryOperator;

/**
 * One spanning query between its fan-out and its final answer: the sources' progress, the merge, the failure
 * strategy's verdict and the pace of its running status. It owns every change of its state; the
 * {@link QueryCoordinator} does the I/O its decisions call for. Every method is called with the run's monitor held.
 */
final class QueryRun {
    final TakenQuery query;
    final SpanningConfig config;
    /** The cache and coalescing key of its answer ({@code SpanQuery.answerHash}). */
    final String answerHash;

    private final MergeSession merge;
    /** Non-null when this run fans out for identical queries of other instances too. */
    final InFlightQueries.Owner owner;
    /** Given once the final answer is out. */
    final RequestAck ack;

    private final AnswerShaper shaper;
    private final long answerBy;
    private final Clock clock;

    /** By source id, best priority first. */
    private final Map<Long, SourceProgress> sources = new LinkedHashMap<>();

    private final Map<String, SourceProgress> byTaskId = new LinkedHashMap<>();
    /**
     * The order the sources are asked in: best priority first when the config asks fewer at once than it has, else
     * (every source asked at once) the slowest expected first, so the query's slowest PACS starts first.
     */
    private final List<SourceProgress> askOrder;
    /** The sources before this index in {@link #askOrder} are no longer waiting to be asked. */
    private int nextToAsk;
    /** Sources sent, and those of them that have ended: their difference is the number being asked. */
    private int sentCount;

    private int sentEnded;
    /** The verdict as of {@link #ended}'s size {@link #verdictAt}: it changes only when a source ends. */
    private QueryState verdict;

    private int verdictAt = -1;
    /** The sources that have ended, in the order they ended (the first failure decides under FAIL_FAST). */
    private final List<SourceProgress> ended = new ArrayList<>();
    /** taskId + '#' + sequence of every batch merged, so a batch sent again after a redelivery counts once. */
    private final Set<String> batchesSeen = new HashSet<>();

    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    /**
     * The DICOM JSON identifier sent to the sources, by their additional query filters: sources without filters of
     * their own (most) share one, built once per query instead of once per source.
     */
    private final Map<Map<String, String>, String> identifiers = new HashMap<>();

    private QueryState state = QueryState.RUNNING;
    /** A worker reported a task stopped by the entry's cancellation (C-CANCEL): the answer is the entry's alone. */
    private boolean cancelledByEntry;

    /** Whether the running status has been written, and when last ({@code System.nanoTime()}). */
    private boolean statusWritten;

    private long statusWrittenNanos;
    /** A status write scheduled for the end of the progress interval, if one is pending. */
    private ScheduledFuture<?> statusFlush;

    /** Answers with {@code last == false} taken so far (streamed queries). */
    private int streamedAnswers;

    /**
     * @param expectedMillis a source's expected time to its final answer by source id ({@link SourceLatencies}), which
     *     orders the sources asked at once
     */
    QueryRun(
            TakenQuery query,
            QueryPlan plan,
            InFlightQueries.Owner owner,
            RequestAck ack,
            Clock clock,
            LongUnaryOperator expectedMillis) {
        this.query = query;
        this.config = plan.config();
        this.answerHash = query.request().query().answerHash(plan.retrieveBase());
        this.shaper = AnswerShaper.of(query.request().query(), plan.retrieveBase());
        this.answerBy = plan.answerBy();
        this.owner = owner;
        this.ack = ack;
        this.clock = clock;
        List<MergeSource> mergeSources = new ArrayList<>();
        for (MappedSource s : config.sources()) {
            mergeSources.add(new MergeSource(
                    Long.toString(s.sourceId()), s.priority(), s.endpoint().aeTitle()));
        }
        this.merge = new MergeSession(
                query.request().query().level(), config.mergePolicy(), mergeSources, plan.recheck()::matches);
        for (MappedSource source : config.sources()) {
            SourceProgress progress = new SourceProgress(source, query.queryId() + ":" + source.sourceId());
            sources.put(source.sourceId(), progress);
            byTaskId.put(progress.taskId, progress);
        }
        List<SourceProgress> order = new ArrayList<>(sources.values());
        if (config.maxConcurrentSources() >= order.size()) {
            Map<Long, Long> expected = new HashMap<>();
            order.forEach(p -> expected.put(p.source.sourceId(), expectedMillis.applyAsLong(p.source.sourceId())));
            // stable: sources expected to take as long keep their priority order
            order.sort(Comparator.comparing((SourceProgress p) -> expected.get(p.source.sourceId()))
                    .reversed());
        }
        this.askOrder = order;
    }

    SpanRequest request() {
        return query.request();
    }

    String queryId() {
        return query.queryId();
    }

    Collection<SourceProgress> sources() {
        return Collections.unmodifiableCollection(sources.values());
    }

    /** The source a task id names, or null for none of this query's. */
    SourceProgress byTaskId(String taskId) {
        return byTaskId.get(taskId);
    }

    /** The identifier for sources with these additional query filters, built by {@code build} the first time. */
    String identifierFor(Map<String, String> additionalFilters, Function<Map<String, String>, String> build) {
        String identifier = identifiers.get(additionalFilters);
        if (identifier == null) {
            identifier = build.apply(additionalFilters);
            identifiers.put(additionalFilters, identifier);
        }
        return identifier;
    }

    /** A timer of this query (a deadline, a status flush), cancelled when it finishes. */
    void addTimer(ScheduledFuture<?> timer) {
        timers.add(timer);
    }

    /** True the first time a batch is seen. */
    boolean firstSight(String taskId, int sequence) {
        return batchesSeen.add(taskId + '#' + sequence);
    }

    /**
     * Merges a batch of a source's results, keeps the matching keys its worker could not verify (the records stay:
     * the answer notes the source instead) and, when the batch is the source's last, ends the source with its outcome.
     *
     * @return whether the source ended (another may be asked now)
     */
    boolean resultArrived(SourceProgress progress, List<Attributes> records, SourceResult result) {
        merge.accept(progress.mergeId(), records);
        progress.latency(result.latencyMillis());
        progress.unverified(result.unverifiedKeys(), result.verificationBound());
        if (result.outcome() == null || !result.outcome().isFinal()) {
            return false;
        }
        // Before its verdict the coordinator itself cancels nothing: a CANCELLED task was the entry's doing.
        cancelledByEntry |= result.outcome() == SourceOutcome.CANCELLED;
        sourceEnded(progress, result.outcome(), result.error());
        return true;
    }

    /** Records a source's final outcome and tells the merge it is done. */
    void sourceEnded(SourceProgress progress, SourceOutcome outcome, String reason) {
        if (progress.isFinal()) {
            return;
        }
        if (progress.isSent()) {
            sentEnded++;
        }
        progress.end(outcome, reason);
        ended.add(progress);
        merge.sourceFinished(progress.mergeId());
    }

    /**
     * The next source to ask now, marked sent with its deadline from {@code now}: in the {@linkplain #askOrder ask
     * order}, up to the config's {@code max_concurrent_sources} at once; null when none may be asked now or the query
     * has a verdict.
     */
    SourceProgress sendNext(long now) {
        if (verdict().isFinal() || sentCount - sentEnded >= config.maxConcurrentSources()) {
            return null;
        }
        while (nextToAsk < askOrder.size() && !askOrder.get(nextToAsk).isWaiting()) {
            nextToAsk++;
        }
        if (nextToAsk == askOrder.size()) {
            return null;
        }
        SourceProgress next = askOrder.get(nextToAsk++);
        next.sent(now, answerBy);
        sentCount++;
        return next;
    }

    boolean isFinished() {
        return state.isFinal();
    }

    /** The failure strategy's verdict on the sources' progress: the final state, or RUNNING while the query goes on. */
    QueryState verdict() {
        if (verdictAt != ended.size()) {
            verdict = decide();
            verdictAt = ended.size();
        }
        return verdict;
    }

    private QueryState decide() {
        List<SourceOutcome> outcomes = new ArrayList<>(sources.size());
        for (SourceProgress p : ended) {
            outcomes.add(p.outcome());
        }
        for (int i = ended.size(); i < sources.size(); i++) {
            outcomes.add(SourceOutcome.RUNNING);
        }
        return FailureVerdict.of(config.failureStrategy(), config.minimumSuccessThreshold(), outcomes);
    }

    /**
     * Ends the query with its verdict: its timers stop, and every source without a final answer ends, TIMEOUT if its
     * time had run out, else CANCELLED.
     *
     * @return whether a source was still being asked (its worker is to be told to stop)
     */
    boolean finish(QueryState verdict) {
        state = verdict;
        timers.forEach(t -> t.cancel(false));
        boolean endedEarly = false;
        for (SourceProgress p : sources.values()) {
            if (p.isWaiting()) {
                boolean late = clock.millis() >= answerBy;
                sourceEnded(
                        p,
                        late ? SourceOutcome.TIMEOUT : SourceOutcome.CANCELLED,
                        late ? "not asked before the deadline" : "not asked: the query was decided without it");
            } else if (p.isAsked()) {
                endedEarly = true;
                boolean late = clock.millis() >= p.deadlineEpochMillis();
                sourceEnded(
                        p,
                        late ? SourceOutcome.TIMEOUT : SourceOutcome.CANCELLED,
                        late ? "no final answer before the deadline" : "not needed: the query was decided without it");
            }
        }
        return endedEarly;
    }

    /** Whether its final answer is shared: with the result cache, or with identical queries waiting for it. */
    boolean sharesItsAnswer() {
        return owner != null || isCacheable();
    }

    /** Only a complete answer no entry cancelled goes to the result cache, if the config caches. */
    boolean isCacheable() {
        return state == QueryState.COMPLETE && !cancelledByEntry && ResultCache.enabledFor(config);
    }

    /** The entry cancelled a task: the answer is not shared; followers fan out themselves. */
    boolean cancelledByEntry() {
        return cancelledByEntry;
    }

    /** How the query ended; once it has finished. */
    QueryOutcome outcome() {
        MergeStatistics statistics = merge.statistics();
        List<SpanAnswer.SourceFailure> failures = new ArrayList<>();
        for (SourceProgress p : sources.values()) {
            if (!p.outcome().isSuccess()) {
                failures.add(p.failure());
            }
        }
        return QueryOutcome.decided(query, state, statistics, sourceStatuses(statistics), failures);
    }

    /** The results that have become final since last taken (streamed queries), encoded. */
    List<byte[]> takeFinal() {
        return encode(merge.takeFinal());
    }

    /**
     * The streamed answer of the results that have become final since last taken, or null when none have; counted,
     * so that the final answer can say how many came before it.
     */
    SpanAnswer takeStreamed() {
        List<byte[]> ready = takeFinal();
        if (ready.isEmpty()) {
            return null;
        }
        streamedAnswers++;
        return SpanAnswer.streamed(query.queryId(), ready, matchesSoFar(), notesSoFar());
    }

    /** How many streamed answers were taken before now. */
    int streamedAnswers() {
        return streamedAnswers;
    }

    /** The notes on the sources whose keys are not verified, as known so far (for a streamed answer). */
    List<SpanAnswer.SourceNote> notesSoFar() {
        return SpanAnswer.SourceNote.of(sourceStatuses(merge.statistics()));
    }

    /** Matches after de-duplication so far. */
    int matchesSoFar() {
        return merge.statistics().recordsAfterDeduplication();
    }

    /** The whole answer before paging, encoded, as it is shared: empty when the outcome gives no results. */
    List<byte[]> wholeAnswer(QueryOutcome outcome) {
        return encode(outcome.hasResults() ? merge.result() : List.of());
    }

    /** The results of the final answer and how many follow them. */
    record Page(List<byte[]> records, int remaining) {}

    /**
     * The final answer's page: none for a failing verdict, the rest of a streamed query's results, else the page asked
     * for, at most {@code maxResults}, cut from {@code whole} when the whole answer was encoded to be shared (else
     * null).
     */
    Page finalPage(QueryOutcome outcome, List<byte[]> whole, int maxResults) {
        SpanQuery asked = query.request().query();
        if (!outcome.hasResults()) {
            return new Page(List.of(), 0);
        }
        if (query.request().streamMatches()) {
            return new Page(takeFinal(), 0);
        }
        if (whole != null) {
            ResultPage<byte[]> page = ResultPage.of(whole, asked.offset(), asked.pageLimit(), maxResults);
            return new Page(page.items(), page.remaining());
        }
        ResultPage<Attributes> page = merge.page(asked.offset(), asked.pageLimit(), maxResults);
        return new Page(encode(page.items()), page.remaining());
    }

    /** The results as the entry returns them, each encoded as a {@link SpanAnswer} carries it. */
    private List<byte[]> encode(List<Attributes> records) {
        List<byte[]> out = new ArrayList<>(records.size());
        for (Attributes record : records) {
            out.add(shaper.encode(record));
        }
        return out;
    }

    /**
     * How long until the running status may be written again ({@code System.nanoTime()} units): 0 for now, when none
     * was written yet or the last is at least {@code intervalNanos} old.
     */
    long statusWriteDelay(long nowNanos, long intervalNanos) {
        long since = nowNanos - statusWrittenNanos;
        return !statusWritten || since >= intervalNanos ? 0 : intervalNanos - since;
    }

    boolean statusFlushPending() {
        return statusFlush != null;
    }

    void statusFlushScheduled(ScheduledFuture<?> flush) {
        statusFlush = flush;
        timers.add(flush);
    }

    void statusFlushed() {
        statusFlush = null;
    }

    /** The running status, now to be written: the progress so far, each source's part. */
    QueryStatus runningStatus(long nowNanos) {
        statusWritten = true;
        statusWrittenNanos = nowNanos;
        MergeStatistics statistics = merge.statistics();
        return QueryOutcome.counted(query.status(), statistics)
                .state(state)
                .sources(sourceStatuses(statistics))
                .build();
    }

    private List<QueryStatus.SourceStatus> sourceStatuses(MergeStatistics statistics) {
        Map<String, SourceStatistics> bySource = new HashMap<>();
        statistics.sources().forEach(s -> bySource.put(s.sourceId(), s));
        List<QueryStatus.SourceStatus> out = new ArrayList<>(sources.size());
        for (SourceProgress p : sources.values()) {
            SourceStatistics s = bySource.get(p.mergeId());
            if (s == null) {
                throw new IllegalStateException("the merge has no statistics of source " + p.mergeId());
            }
            out.add(p.status(s));
        }
        return out;
    }
}
