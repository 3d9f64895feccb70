package io.dicomspanner.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The result cache and the coalescing of identical queries, counted where the work happens: every task a worker runs
 * is one C-FIND task for one source ({@code spanner_worker_cfind_duration_seconds_count} per source), so one fan-out
 * over three sources is exactly three tasks. A cached answer is given by the gateway itself (it counts the hit); a
 * query that joins one in flight is answered by the coordinator.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CacheAndCoalescingTest {

    @RegisterExtension
    static final Fleet FLEET = new Fleet("cache");

    /** Identical queries sent at once. */
    private static final int CONCURRENT = 8;
    /** Bound on the wait for a worker to record a task it has finished (it acks after the results are sent). */
    private static final Duration TASK_RECORD_WAIT = Duration.ofSeconds(10);

    private static final String TASKS = "spanner_worker_cfind_duration_seconds_count";

    private final List<Long> sources = new ArrayList<>();
    private Fleet.Service coordinator;
    private Fleet.Service worker;
    private long configId;

    @BeforeAll
    void startFleet() throws Exception {
        // Every PACS answers after 1 s: identical queries sent together all arrive while the first is in flight.
        SimulatorProcess simulator = FLEET.startSimulator(3, 40, List.of("--latency-ms", "1000"));
        for (SimulatorProcess.Pacs p : simulator.pacs()) {
            sources.add(FLEET.registerSource(p.name(), p.aeTitle(), p.host(), p.port(), Map.of()));
        }
        configId = FLEET.createConfig("Cached", Map.of("cache_ttl_seconds", 300, "timeout_seconds", 30));
        FLEET.mapSources(configId, sources);
        coordinator = FLEET.startCoordinator("spanner-coordinator");
        worker = FLEET.startWorker("dimse-query-worker", sources, Map.of());
    }

    private double tasks() throws Exception {
        return FLEET.metric(worker, TASKS, "");
    }

    /** Waits (bounded) until the worker has recorded at least {@code atLeast} tasks, then returns its count. */
    private double tasksOnceRecorded(double atLeast) throws Exception {
        long deadline = System.nanoTime() + TASK_RECORD_WAIT.toNanos();
        double n = tasks();
        while (n < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(100);
            n = tasks();
        }
        return n;
    }

    private static final String HITS = "spanner_cache_requests_total";
    private static final String HIT = "result=\"hit\"";

    private String studies(String dates) {
        return "/api/v1/spanner/qido/studies?StudyDate=" + dates + "&includefield=StudyDescription&spanner_config_id="
                + configId;
    }

    @Test
    void theSameQueryTwiceIsAnsweredTheSecondTimeFromTheCacheWithTheSameBytes() throws Exception {
        double before = tasks();
        double gatewayHitsBefore = FLEET.metric(FLEET.gateway(), HITS, HIT);
        double coordinatorHitsBefore = FLEET.metric(coordinator, HITS, HIT);
        double gatewayQueriesBefore = FLEET.metric(FLEET.gateway(), "spanner_queries_total", "state=\"complete\"");

        HttpAnswer first = FLEET.get(studies("20150101-20171231"));
        double afterFirst = tasksOnceRecorded(before + sources.size());
        HttpAnswer second = FLEET.get(studies("20150101-20171231"));

        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.dicom()).as("studies found").isNotEmpty();
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body()).as("second body, byte for byte").isEqualTo(first.body());
        assertThat(second.header("X-Query-Id")).isNotEqualTo(first.header("X-Query-Id"));
        assertThat(afterFirst - before)
                .as("tasks of the first query: one per source")
                .isEqualTo(sources.size());
        assertThat(tasks() - afterFirst).as("tasks of the cached query").isZero();
        assertThat(FLEET.metric(FLEET.gateway(), HITS, HIT) - gatewayHitsBefore)
                .as("answered by the gateway from the cache")
                .isEqualTo(1);
        assertThat(FLEET.metric(FLEET.gateway(), "spanner_queries_total", "state=\"complete\"") - gatewayQueriesBefore)
                .isEqualTo(1);
        assertThat(FLEET.metric(coordinator, HITS, HIT) - coordinatorHitsBefore)
                .as("cache hits at the coordinator")
                .isZero();
        HttpAnswer status = FLEET.get("/api/v1/spanner/queries/" + second.header("X-Query-Id") + "/status");
        assertThat(status.json().get("from_cache").asBoolean())
                .as(status.toString())
                .isTrue();
    }

    @Test
    void identicalQueriesInFlightTogetherCauseOneFanOut() throws Exception {
        double before = tasks();
        double hitsBefore = FLEET.metric(coordinator, HITS, HIT) + FLEET.metric(FLEET.gateway(), HITS, HIT);
        double coalescedBefore = FLEET.metric(coordinator, "spanner_coalesced_queries_total", "");

        List<HttpAnswer> answers = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(CONCURRENT);
        try {
            List<Future<HttpAnswer>> futures = new ArrayList<>();
            for (int i = 0; i < CONCURRENT; i++) {
                futures.add(clients.submit(() -> FLEET.get(studies("20180101-20191231"))));
            }
            for (Future<HttpAnswer> f : futures) {
                answers.add(f.get());
            }
        } finally {
            clients.shutdownNow();
        }
        double after = tasksOnceRecorded(before + sources.size());

        for (HttpAnswer a : answers) {
            assertThat(a.status()).as(a.toString()).isEqualTo(200);
            assertThat(a.body())
                    .as("every answer, byte for byte")
                    .isEqualTo(answers.get(0).body());
        }
        assertThat(answers.get(0).dicom()).as("studies found").isNotEmpty();
        assertThat(after - before)
                .as("tasks of %d identical queries", CONCURRENT)
                .isEqualTo(sources.size());
        double hits = FLEET.metric(coordinator, HITS, HIT) + FLEET.metric(FLEET.gateway(), HITS, HIT) - hitsBefore;
        double coalesced = FLEET.metric(coordinator, "spanner_coalesced_queries_total", "") - coalescedBefore;
        assertThat(hits + coalesced)
                .as("queries answered from the one fan-out (coalesced or cached)")
                .isEqualTo(CONCURRENT - 1);
        // The coordinator starts 4 requests at once and the PACS take 1 s: the first ones overlap in flight.
        assertThat(coalesced).as("queries that joined the one in flight").isPositive();
    }
}
