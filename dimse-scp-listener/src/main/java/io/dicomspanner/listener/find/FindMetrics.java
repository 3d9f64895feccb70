package io.dicomspanner.listener.find;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The listener's C-FIND metrics (on {@code /actuator/prometheus}): {@code spanner_listener_finds_in_flight} and
 * {@code spanner_listener_finds_total{status="0000"|"FE00"|"C000"|"A700"|"A900"|...}} by final status, and
 * {@code spanner_listener_finds_unverified_total}: those answered with Success whose matches a source could not verify
 * against every matching key (the final Success cannot say so). The spanning itself (per source, per state, latency)
 * is the coordinator's to count.
 */
final class FindMetrics {

    private final MeterRegistry meters;
    private final Map<Integer, Counter> byStatus = new ConcurrentHashMap<>();
    private final Counter unverified;

    FindMetrics(MeterRegistry meters, AtomicInteger inFlight) {
        this.meters = meters;
        Gauge.builder("spanner.listener.finds.in.flight", inFlight, AtomicInteger::get)
                .description("C-FINDs being spanned now")
                .register(meters);
        unverified = Counter.builder("spanner.listener.finds.unverified")
                .description("C-FINDs answered with Success whose matches a source could not verify against every"
                        + " matching key")
                .register(meters);
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
