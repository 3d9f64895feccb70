package io.dicomspanner.gateway.qido;

import io.dicomspanner.common.answer.SharedAnswerReply;
import io.dicomspanner.common.answer.TakenQuery;
import io.dicomspanner.common.config.SpanningSettings;
import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.common.messaging.SharedAnswer;
import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.common.metrics.QueryMetrics;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.common.querylog.QueryLogEntry;
import io.dicomspanner.common.querylog.QueryLogWriter;
import io.dicomspanner.common.seal.SealedCodec;
import io.dicomspanner.gateway.span.QueryStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Answers a synchronous search from the result cache the coordinators fill, in the gateway itself: a complete cached
 * answer needs no coordinator, and answering it here saves the two broker hops and the coordinator's turn, which made
 * most of a cache hit's time. Everything else the coordinator does for a hit is done the same way here, by the same
 * {@link SharedAnswerReply}: the page is cut from the shared answer by the {@code max-results} of the coordinator that
 * made it, the query's status goes to Redis marked {@code from_cache}, its query-log row is written (off the request
 * thread) and it is counted under the coordinators' meter names.
 *
 * <p>The key is the coordinators' ({@link RedisKeys#resultCache}: config id and version, the query's canonical hash
 * with this gateway's Retrieve URL base, empty when it has none). A coordinator that builds Retrieve URLs from its own
 * {@code dicomweb-base-url} stores under another hash, so the gateway misses and the coordinator answers: slower, never
 * different. Any failure here (Redis away, an entry of another version) is a miss and the query goes to a coordinator.
 *
 * <p>An entry read from Redis is kept in this gateway's memory until it expires in Redis ({@link LocalAnswerCache}),
 * so a search asked again is answered without a Redis round trip; its status and query-log row are written all the
 * same.
 */
@Component
class CachedAnswers {

    private static final Logger log = LoggerFactory.getLogger(CachedAnswers.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    /** What a look-up found. */
    sealed interface Lookup {}

    /** The answer, with its status written and its query-log row on its way. */
    record Hit(SpanAnswer answer) implements Lookup {}

    /** Not in the cache, or unusable: the coordinator answers. */
    record Miss() implements Lookup {}

    /** Redis did not answer: the coordinator answers, and the caller need not try Redis again for this query. */
    record RedisFailed() implements Lookup {}

    /**
     * The entry and its remaining time to live in one round trip; nothing when there is no entry. The time to live is
     * read in the same command, so the two always belong together. No entry: an empty list.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static final RedisScript<List<Object>> GET_WITH_TTL = (RedisScript) RedisScript.of(
            "local entry = redis.call('GET', KEYS[1])\n"
                    + "if not entry then return {} end\n"
                    + "return {entry, redis.call('PTTL', KEYS[1])}",
            List.class);

    private static final Lookup MISS = new Miss();
    private static final Lookup REDIS_FAILED = new RedisFailed();

    private final StringRedisTemplate redis;
    private final SealedCodec codec;
    private final QueryStore queryStore;
    private final QueryLogWriter queryLog;
    private final QueryMetrics metrics;
    private final Counter hits;
    private final Clock clock;
    private final boolean enabled;
    private final LocalAnswerCache local;
    /**
     * One thread writes the query-log rows of the hits; when its queue is full, the request thread writes its row
     * itself (slower, nothing lost).
     */
    private final ThreadPoolExecutor logWriter;

    CachedAnswers(
            StringRedisTemplate redis,
            SealedCodec codec,
            QueryStore queryStore,
            QueryLogWriter queryLog,
            MeterRegistry registry,
            QidoProperties properties,
            Clock clock) {
        this.redis = redis;
        this.codec = codec;
        this.queryStore = queryStore;
        this.queryLog = queryLog;
        this.metrics = new QueryMetrics(registry);
        this.hits = metrics.cacheRequests("hit");
        this.clock = clock;
        this.enabled = properties.answerCacheHits();
        this.local = new LocalAnswerCache(properties.localAnswerCacheSize().toBytes(), System::nanoTime);
        registry.gauge("spanner.gateway.local.answers", local, LocalAnswerCache::size);
        registry.gauge("spanner.gateway.local.answer.bytes", local, LocalAnswerCache::bytes);
        this.logWriter = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(properties.queryLogQueue()),
                runnable -> {
                    Thread thread = new Thread(runnable, "query-log-writer");
                    thread.setDaemon(true);
                    return thread;
                },
                new ThreadPoolExecutor.CallerRunsPolicy());
    }

    /**
     * Looks the query up and, on a hit, answers it.
     *
     * @param request the span request the gateway would publish (query id, caller, Retrieve URL base)
     * @param startedAt when the gateway took the search
     * @param startNanos {@link System#nanoTime()} then
     */
    Lookup answer(SpanRequest request, SpanningSettings config, Instant startedAt, long startNanos) {
        if (!enabled || config.cacheTtlSeconds() <= 0) {
            return MISS;
        }
        SpanQuery query = request.query();
        String base = request.retrieveBaseUrl() == null ? "" : request.retrieveBaseUrl();
        String key = RedisKeys.resultCache(config.id(), config.version(), query.answerHash(base));
        SharedAnswer shared = local.get(key);
        if (shared == null) {
            long askedAt = local.now();
            List<Object> read;
            try {
                read = redis.execute(GET_WITH_TTL, List.of(key));
            } catch (DataAccessException e) {
                log.warn(
                        "Result cache not read for query {} (Redis unreachable): {}",
                        request.queryId(),
                        e.getMessage());
                return REDIS_FAILED;
            }
            if (read == null || read.size() != 2) {
                return MISS;
            }
            shared = usable((String) read.get(0), request.queryId());
            if (shared == null) {
                return MISS;
            }
            local.put(key, shared, askedAt, (Long) read.get(1));
        }
        TakenQuery taken = new TakenQuery(request, config.version(), startedAt, startNanos);
        // not millis(): JDK 17's tick clock divides by zero there
        SharedAnswerReply reply =
                SharedAnswerReply.fromCache(taken, shared, clock.instant().toEpochMilli());
        queryStore.recordFinished(reply.status());
        Duration took = taken.sinceTaken();
        QueryLogEntry entry = reply.logEntry(took);
        logWriter.execute(() -> queryLog.write(entry));
        hits.increment();
        metrics.queryFinished(query.level().name(), request.entryPoint(), reply.state(), took);
        return new Hit(reply.answer());
    }

    /**
     * The entry's answer, or null when the coordinator is to answer: sealed under no key of this gateway or changed
     * (counted by the codec), unreadable, or without its paging rule.
     */
    private SharedAnswer usable(String entry, String queryId) {
        SharedAnswer shared;
        try {
            shared = codec.openEntry(entry, SharedAnswer.class).orElse(null);
            if (shared == null) {
                log.warn("Result cache entry for query {} does not open, left to the coordinator", queryId);
                return null;
            }
        } catch (RuntimeException e) {
            // The type only: a parser's message may quote the entry, and the entry holds patients' data.
            log.warn(
                    "Unreadable result cache entry for query {}, left to the coordinator: {}",
                    queryId,
                    e.getClass().getSimpleName());
            return null;
        }
        // written by a coordinator that does not say how it pages: it pages it itself
        return shared.maxResults() > 0 ? shared : null;
    }

    /** Query-log rows still queued are written before the gateway stops (the database is still there). */
    @PreDestroy
    void stop() throws InterruptedException {
        logWriter.shutdown();
        if (!logWriter.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            log.error(
                    "{} query-log rows of cache hits not written within {} s of stopping",
                    logWriter.getQueue().size(),
                    STOP_WAIT.toSeconds());
        }
    }
}
