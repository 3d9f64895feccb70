package io.dicomspanner.listener.find;

import io.dicomspanner.common.ratelimit.RequestLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The listener's C-FIND metrics (on {@code /actuator/prometheus}): {@code spanner_listener_finds_in_flight} and
 * {@code spanner_listener_finds_total{status="0000"|"FE00"|"C000"|"A700"|"A900"|...}} by final status, and
 * {@code spanner_listener_finds_unverified_total}: those answered with Success whose matches a source could not verify
 * against every matching key (the final Success cannot say so), and
 * {@code spanner_listener_finds_limited_total{limit="queries_per_second"|"finds_in_flight"}}: those refused A700
 * because their calling AE title was over a limit (each also counted under {@code status="A700"}). The spanning itself (per source, per state, latency)
 * is the coordinator's to count.
 */
final class FindMetrics {

    private final MeterRegistry meters;
    private final Map<Integer, Counter> byStatus = new ConcurrentHashMap<>();
    private final Counter unverified;
    private final Map<RequestLimiter.Limit, Counter> limited = new EnumMap<>(RequestLimiter.Limit.class);

    FindMetrics(MeterRegistry meters, AtomicInteger inFlight) {
        this.meters = meters;
        Gauge.builder("spanner.listener.finds.in.flight", inFlight, AtomicInteger::get)
                .description("C-FINDs being spanned now")
                .register(meters);
        unverified = Counter.builder("spanner.listener.finds.unverified")
                .description("C-FINDs answered with Success whose matches a source could not verify against every"
                        + " matching key")
                .register(meters);
        for (RequestLimiter.Limit limit : RequestLimiter.Limit.values()) {
            limited.put(
                    limit,
                    Counter.builder("spanner.listener.finds.limited")
                            .description("C-FINDs refused A700 because their calling AE title was over a limit")
                            .tag("limit", label(limit))
                            .register(meters));
        }
    }

    /** The {@code limit} label: the setting's name. */
    static String label(RequestLimiter.Limit limit) {
        return switch (limit) {
            case RATE -> "queries_per_second";
            case IN_FLIGHT -> "finds_in_flight";
        };
    }

    void limited(RequestLimiter.Limit limit) {
        limited.get(limit).increment();
    }

    void unverified() {
        unverified.increment();
    }

    void finished(int status) {
        byStatus.computeIfAbsent(
                        status,
                        s -> Counter.builder("spanner.listener.finds")
                                .description("C-FINDs answered, by final status")
                                .tag("status", String.format("%04X", s))
                                .register(meters))
                .increment();
    }
}
