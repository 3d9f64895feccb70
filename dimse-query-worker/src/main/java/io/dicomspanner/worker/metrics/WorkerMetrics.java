package io.dicomspanner.worker.metrics;

import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.dicom.net.DicomPeer;
import io.dicomspanner.dicom.net.pool.AssociationPool;
import io.dicomspanner.dicom.net.pool.PoolStats;
import io.dicomspanner.worker.WorkerProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The worker's meters: per source C-FIND duration, results and errors, associations by state; busy tasks against
 * capacity for utilization.
 */
@Component
public class WorkerMetrics {

    private final MeterRegistry registry;
    private final AssociationPool pool;
    private final AtomicInteger busyTasks = new AtomicInteger();
    private final Map<Long, DicomPeer> peers = new ConcurrentHashMap<>();

    public WorkerMetrics(MeterRegistry registry, AssociationPool pool, WorkerProperties properties) {
        this.registry = registry;
        this.pool = pool;
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
        watchAssociations(sourceId, peer);
        Timer.builder("spanner_worker_cfind_duration")
                .description("C-FIND time per task, from task start to final outcome")
                .tag("source", source)
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

    private void watchAssociations(long sourceId, DicomPeer peer) {
        if (peer == null || peers.putIfAbsent(sourceId, peer) != null) {
            return;
        }
        String source = Long.toString(sourceId);
        for (String state : new String[] {"open", "leased", "idle", "opening"}) {
            Gauge.builder("spanner_worker_associations", () -> {
                        PoolStats s = pool.stats(peers.get(sourceId));
                        return switch (state) {
                            case "open" -> s.open();
                            case "leased" -> s.leased();
                            case "idle" -> s.idle();
                            default -> s.opening();
                        };
                    })
                    .description("pooled associations to a source, by state")
                    .tag("source", source)
                    .tag("state", state)
                    .register(registry);
        }
    }
}
