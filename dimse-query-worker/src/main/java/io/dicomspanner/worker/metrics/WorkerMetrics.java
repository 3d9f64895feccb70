package io.dicomspanner.worker.metrics;

import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.dicom.net.DicomPeer;
import io.dicomspanner.worker.WorkerProperties;
import io.dicomspanner.worker.circuit.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.springframework.stereotype.Component;

/**
 * The worker's meters: per source C-FIND duration (histogram), results and errors, associations by state, circuit
 * state, C-ECHO health, the verification of ignored matching keys and what is learned of them; busy tasks against
 * capacity for utilization. Names are given in Prometheus form; the registry adds the unit and {@code _total}.
 * docs/configuration-worker.md lists them.
 */
@Component
public class WorkerMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger busyTasks = new AtomicInteger();
    private final Map<Long, AtomicInteger> circuitStates = new ConcurrentHashMap<>();
    private final Map<Long, AtomicInteger> echoUp = new ConcurrentHashMap<>();

    public WorkerMetrics(MeterRegistry registry, WorkerProperties properties) {
        this.registry = registry;
        Gauge.builder("spanner_worker_busy_tasks", busyTasks, AtomicInteger::get)
                .description("tasks this worker is running")
                .register(registry);
        Gauge.builder("spanner_worker_task_capacity", properties, p -> p.maxConcurrentTasks())
                .description("tasks this worker can run at once")
                .register(registry);
    }

    public void taskStarted() {
        busyTasks.incrementAndGet();
    }

    public void taskEnded() {
        busyTasks.decrementAndGet();
    }

    /** One task's C-FIND work for a source ended. */
    public void recordTask(long sourceId, DicomPeer peer, SourceOutcome outcome, Duration duration, int results) {
        String source = Long.toString(sourceId);
        Timer.builder("spanner_worker_cfind_duration")
                .description("C-FIND time per task, from task start to final outcome")
                .tag("source", source)
                // a histogram, so latency percentiles can be aggregated across workers; bounds cut the bucket count
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry)
                .record(duration);
        Counter.builder("spanner_worker_cfind_results")
                .description("matches relayed to the coordinator")
                .tag("source", source)
                .register(registry)
                .increment(results);
        if (!outcome.isSuccess()) {
            Counter.builder("spanner_worker_cfind_errors")
                    .description("tasks that did not end with Success")
                    .tag("source", source)
                    .tag("outcome", outcome.name())
                    .register(registry)
                    .increment();
        }
    }

    /**
     * What one task's verification of the matching keys its source ignores cost and found: the C-FINDs it sent, the
     * matches it dropped, and each key it could not verify for some match it relayed.
     */
    public void recordVerification(long sourceId, int subqueries, int dropped, List<String> unverifiedKeys) {
        String source = Long.toString(sourceId);
        if (subqueries > 0) {
            Counter.builder("spanner_worker_verification_subqueries")
                    .description("C-FINDs sent to verify matching keys a source ignores")
                    .tag("source", source)
                    .register(registry)
                    .increment(subqueries);
        }
        if (dropped > 0) {
            Counter.builder("spanner_worker_verification_dropped")
                    .description("matches of a source dropped because they do not match a key it ignores")
                    .tag("source", source)
                    .register(registry)
                    .increment(dropped);
        }
        for (String keyword : unverifiedKeys) {
            Counter.builder("spanner_worker_verification_unverified_keys")
                    .description("tasks that relayed matches of a source unverified for a key it ignores")
                    .tag("source", source)
                    .tag("key", keyword)
                    .register(registry)
                    .increment();
        }
    }

    /**
     * An observation of a source's matching key, learned from its answers, was stored.
     *
     * @param evidence {@code disproved} (records that do not match the key) or {@code not_returned} (records without
     *     its value)
     */
    public void keyObservation(long sourceId, String keyword, String evidence) {
        Counter.builder("spanner_worker_key_observations")
                .description("observations of a source's matching key learned from its answers and stored")
                .tag("source", Long.toString(sourceId))
                .tag("key", keyword)
                .tag("evidence", evidence)
                .register(registry)
                .increment();
    }

    /** An observation of a source's matching key (learned or probed) could not be stored. */
    public void keyObservationFailed(long sourceId) {
        Counter.builder("spanner_worker_key_observation_failures")
                .description("observations of a source's matching keys that could not be stored")
                .tag("source", Long.toString(sourceId))
                .register(registry)
                .increment();
    }

    /**
     * Watches a source's associations: those open (each under a fleet-wide lease) and the C-FINDs waiting for one.
     */
    public void watchAssociations(long sourceId, IntSupplier open, IntSupplier waiting) {
        String source = Long.toString(sourceId);
        Gauge.builder("spanner_worker_associations", open::getAsInt)
                .description("associations this worker holds open to a source, each under a fleet-wide lease")
                .tag("source", source)
                .tag("state", "open")
                .register(registry);
        Gauge.builder("spanner_worker_association_waiting", waiting::getAsInt)
                .description("C-FINDs of this worker waiting for a free association to a source")
                .tag("source", source)
                .register(registry);
    }

    /** A C-FIND waited this long for a free association (lease) to a source, whether it got one or not. */
    public void associationWait(long sourceId, Duration waited) {
        Timer.builder("spanner_worker_association_wait")
                .description("time a C-FIND waited for a free association to a source (fleet-wide limit)")
                .tag("source", Long.toString(sourceId))
                .register(registry)
                .record(waited);
    }

    /** An association to a source was opened without a lease because Redis could not be reached. */
    public void associationLeaseFallback(long sourceId) {
        Counter.builder("spanner_worker_association_lease_fallbacks")
                .description("associations opened without a fleet-wide lease because Redis could not be reached")
                .tag("source", Long.toString(sourceId))
                .register(registry)
                .increment();
    }

    /**
     * The circuit's state for a source as this worker's last admission saw it: one series per state, 1 for the current
     * one (a Prometheus state set), so "open" can be summed across workers and sources.
     */
    public void circuitAdmission(long sourceId, CircuitBreaker.Admission admission) {
        circuitStates
                .computeIfAbsent(sourceId, id -> {
                    AtomicInteger current = new AtomicInteger();
                    for (CircuitBreaker.Admission state : CircuitBreaker.Admission.values()) {
                        Gauge.builder("spanner_worker_circuit_state", current, c -> c.get() == state.ordinal() ? 1 : 0)
                                .description("circuit breaker state of a source at this worker's last admission")
                                .tag("source", Long.toString(id))
                                .tag("state", circuitStateName(state))
                                .register(registry);
                    }
                    return current;
                })
                .set(admission.ordinal());
    }

    private static String circuitStateName(CircuitBreaker.Admission state) {
        return switch (state) {
            case CLOSED -> "closed";
            case TRIAL -> "half_open";
            case OPEN -> "open";
        };
    }

    /** A C-ECHO health check of a source ended. */
    public void echo(long sourceId, String aeTitle, boolean up, Duration took) {
        String source = Long.toString(sourceId);
        echoUp.computeIfAbsent(sourceId, id -> {
                    AtomicInteger value = new AtomicInteger();
                    Gauge.builder("spanner_worker_source_up", value, AtomicInteger::get)
                            .description("1 if the source's last C-ECHO succeeded, else 0; ae_title names the source")
                            .tag("source", source)
                            .tag("ae_title", aeTitle)
                            .register(registry);
                    return value;
                })
                .set(up ? 1 : 0);
        Timer.builder("spanner_worker_echo_duration")
                .description("C-ECHO health check time, from connect to the response")
                .tag("source", source)
                .tag("result", up ? "up" : "down")
                .register(registry)
                .record(took);
    }
}
