package io.dicomspanner.coordinator.metrics;

import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.metrics.QueryMetrics;
import io.dicomspanner.common.query.EntryPoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Locale;
import org.springframework.stereotype.Component;

/** The coordinator's meters; names are given in Micrometer form, Prometheus adds the unit and {@code _total}. */
@Component
public class CoordinatorMetrics {

    private final MeterRegistry registry;
    private final QueryMetrics queries;
    private final Counter cacheHits;
    private final Counter cacheMisses;
    private final Counter coalesced;
    private final Counter redisErrors;

    public CoordinatorMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.queries = new QueryMetrics(registry);
        this.cacheHits = queries.cacheRequests("hit");
        this.cacheMisses = queries.cacheRequests("miss");
        this.coalesced = Counter.builder("spanner.coalesced.queries")
                .description("Queries answered by an identical query in flight instead of a fan-out of their own")
                .register(registry);
        this.redisErrors = Counter.builder("spanner.redis.errors")
                .description("Redis operations that failed; the query went on without cache, coalescing or status")
                .register(registry);
    }

    public void queryFinished(String level, EntryPoint entryPoint, QueryState state, Duration took) {
        queries.queryFinished(level, entryPoint, state, took);
    }

    public void sourceResults(long sourceId, int records) {
        Counter.builder("spanner.source.results")
                .description("Records received from a source (before the re-check)")
                .tag("source", Long.toString(sourceId))
                .register(registry)
                .increment(records);
    }

    /**
     * How a source's part of a fanned-out query ended as this coordinator saw it: unlike the worker's counts, this
     * includes sources whose worker never answered before the deadline (no worker, or a worker stuck).
     */
    public void sourceEnded(long sourceId, SourceOutcome outcome) {
        Counter.builder("spanner.source.outcomes")
                .description("Sources' parts of fanned-out queries, by how they ended")
                .tag("source", Long.toString(sourceId))
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                .register(registry)
                .increment();
    }

    public void cacheHit() {
        cacheHits.increment();
    }

    public void cacheMiss() {
        cacheMisses.increment();
    }

    public void coalescedQuery() {
        coalesced.increment();
    }

    public void redisError() {
        redisErrors.increment();
    }
}
