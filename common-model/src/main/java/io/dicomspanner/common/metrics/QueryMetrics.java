package io.dicomspanner.common.metrics;

import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.query.EntryPoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;

/**
 * The meters of answered queries, under the same names wherever a query is answered: the coordinator answers most, the
 * api-gateway answers complete cached answers itself. Dashboards and alerts sum over every instance, so a query is
 * counted once, by the service that answered it. Names in Micrometer form; Prometheus adds the unit and
 * {@code _total}.
 *
 * <p>{@code spanner_cache_requests_total}: the coordinator counts its look-ups as {@code hit} or {@code miss}; the
 * gateway counts only its hits, because a query it misses is looked up again (and counted) by the coordinator. The
 * hit ratio over the fleet is therefore {@code sum(hit) / sum(all)}, each query once.
 */
public final class QueryMetrics {

    private final MeterRegistry registry;
    private final Timer.Builder duration;

    public QueryMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.duration = Timer.builder("spanner.query.duration")
                .description("Time from taking a span request to its final answer")
                .publishPercentileHistogram();
    }

    /** A query answered, with its final state and the time from taking it to answering it. */
    public void queryFinished(String level, EntryPoint entryPoint, QueryState state, Duration took) {
        String lowerLevel = level.toLowerCase(Locale.ROOT);
        String entry = entryPoint.name().toLowerCase(Locale.ROOT);
        Counter.builder("spanner.queries")
                .description("Spanning queries answered, by final state")
                .tag("level", lowerLevel)
                .tag("entry_point", entry)
                .tag("state", state.name().toLowerCase(Locale.ROOT))
                .register(registry)
                .increment();
        duration.tag("level", lowerLevel)
                .tag("entry_point", entry)
                .register(registry)
                .record(took);
    }

    /** The counter of result-cache look-ups with this result ({@code hit} or {@code miss}), registered if new. */
    public Counter cacheRequests(String result) {
        return Counter.builder("spanner.cache.requests")
                .description("Result cache look-ups")
                .tag("result", result)
                .register(registry);
    }
}
