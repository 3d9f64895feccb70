package io.dicomspanner.systemtest;

import static io.dicomspanner.systemtest.DirectFind.studyUids;
import static io.dicomspanner.systemtest.DirectFind.union;
import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Processes that die: a worker killed (SIGKILL) while its PACS is still searching, a coordinator killed and started
 * again between queries, Redis killed. Each time the answer is checked against what the PACS answer when asked
 * directly, and the counts in the query status against each PACS's own count: nothing lost, nothing doubled.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResilienceTest {

    @RegisterExtension
    static final Fleet FLEET = new Fleet("resilience");

    private static final String DATES = "20150101-20171231";
    /** The slow PACS's answer time: long enough to kill the worker while it waits. */
    private static final int SLOW_LATENCY_MILLIS = 4000;
    /** Deadline of the queries: room for a new worker to start and run the redelivered task. */
    private static final int TIMEOUT_SECONDS = 120;

    private static final Duration BUSY_WAIT = Duration.ofSeconds(30);
    private static final Duration QUERY_WAIT = Duration.ofSeconds(TIMEOUT_SECONDS + 30);

    private final Map<String, DirectFind.Pacs> pacsByAe = new LinkedHashMap<>();
    private DirectFind direct;
    private long slowConfig;
    private long fastConfig;
    private List<Long> fastSources;
    private List<Long> allSources;
    private Fleet.Service coordinator;
    private Fleet.Service worker;

    @BeforeAll
    void startFleet() throws Exception {
        SimulatorProcess fast = FLEET.startSimulator(2, 40, List.of("--latency-ms", "5-20"));
        SimulatorProcess slow = FLEET.startSimulator(
                3, 40, List.of("--latency-ms", Integer.toString(SLOW_LATENCY_MILLIS)), "pacs-simulator-slow");
        long a = register(fast.pacs("PACS_A"), "PACS_A");
        long b = register(fast.pacs("PACS_B"), "PACS_B");
        // The slow fleet's PACS_C holds other studies than the fast fleet's two (same seed, third PACS).
        long slowC = register(slow.pacs("PACS_C"), "SLOW_PACS_C");
        fastSources = List.of(a, b);
        allSources = List.of(a, b, slowC);
        direct = new DirectFind();
        fastConfig = FLEET.createConfig("fast", Map.of("timeout_seconds", TIMEOUT_SECONDS, "cache_ttl_seconds", 300));
        FLEET.mapSources(fastConfig, fastSources);
        slowConfig = FLEET.createConfig("slow", Map.of("timeout_seconds", TIMEOUT_SECONDS, "cache_ttl_seconds", 0));
        FLEET.mapSources(slowConfig, allSources);
        coordinator = FLEET.startCoordinator("spanner-coordinator");
        worker = FLEET.startWorker("dimse-query-worker", allSources, Map.of());
    }

    @AfterAll
    void closeClient() {
        if (direct != null) {
            direct.close();
        }
    }

    private long register(SimulatorProcess.Pacs p, String name) throws Exception {
        pacsByAe.put(p.aeTitle(), new DirectFind.Pacs(p.aeTitle(), p.host(), p.port()));
        return FLEET.registerSource(name, p.aeTitle(), p.host(), p.port(), Map.of());
    }

    /** Each AE title's own Study Instance UIDs in the date range, asked directly. */
    private Map<String, Set<String>> askDirectly(List<String> aeTitles) throws Exception {
        Map<String, Set<String>> byAe = new LinkedHashMap<>();
        for (String ae : aeTitles) {
            Set<String> uids = new LinkedHashSet<>();
            for (Attributes m : direct.find(
                    pacsByAe.get(ae), "STUDY", DirectFind.keys("StudyDate", DATES, "StudyInstanceUID", ""))) {
                uids.add(m.getString(Tag.STUDY_INSTANCE_UID));
            }
            byAe.put(ae, uids);
        }
        return byAe;
    }

    private String studies(long configId) {
        return "/api/v1/spanner/qido/studies?StudyDate=" + DATES + "&spanner_config_id=" + configId;
    }

    /** The per-source match counts of a finished query equal each PACS's own, and the totals add up. */
    private static void assertCounts(JsonNode status, Map<String, Set<String>> byAe) {
        Map<String, Integer> matches = new LinkedHashMap<>();
        for (JsonNode s : status.get("sources")) {
            assertThat(s.get("state").asString()).as(s.toString()).isEqualTo("SUCCESS");
            matches.put(s.get("ae_title").asString(), s.get("matches").asInt());
        }
        Map<String, Integer> expected = new LinkedHashMap<>();
        byAe.forEach((ae, uids) -> expected.put(ae, uids.size()));
        assertThat(matches).isEqualTo(expected);
        assertThat(status.get("matches_before_deduplication").asInt())
                .isEqualTo(
                        expected.values().stream().mapToInt(Integer::intValue).sum());
        assertThat(status.get("matches_after_deduplication").asInt())
                .isEqualTo(union(byAe).size());
    }

    private void awaitBusy(Fleet.Service service) throws Exception {
        long deadline = System.nanoTime() + BUSY_WAIT.toNanos();
        while (FLEET.metric(service, "spanner_worker_busy_tasks", "") < 1) {
            assertThat(System.nanoTime()).as("worker busy within %s", BUSY_WAIT).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private JsonNode awaitFinished(String queryId) throws Exception {
        long deadline = System.nanoTime() + QUERY_WAIT.toNanos();
        while (true) {
            HttpAnswer status = FLEET.get("/api/v1/spanner/queries/" + queryId + "/status");
            assertThat(status.status()).as(status.toString()).isEqualTo(200);
            JsonNode s = status.json();
            if (!s.get("state").asString().equals("RUNNING")) {
                return s;
            }
            assertThat(System.nanoTime())
                    .as("query finished within %s", QUERY_WAIT)
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    @Test
    @Order(1)
    void aWorkerKilledWhileItsPacsSearchesIsReplacedAndTheQueryCompletesWithEachMatchOnce() throws Exception {
        Map<String, Set<String>> expected = askDirectly(List.copyOf(pacsByAe.keySet()));
        HttpAnswer accepted = FLEET.get(studies(slowConfig) + "&async=true");
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        String queryId = accepted.json().get("query_id").asString();

        // The fast PACS have answered by now or soon; the slow one keeps the worker's task open for 4 s.
        awaitBusy(worker);
        worker.kill();
        worker = FLEET.startWorker("dimse-query-worker-2", allSources, Map.of());

        JsonNode status = awaitFinished(queryId);
        assertThat(status.get("state").asString()).as(status.toString()).isEqualTo("COMPLETE");
        assertCounts(status, expected);
        HttpAnswer results = FLEET.get("/api/v1/spanner/queries/" + queryId + "/results");
        assertThat(results.status()).as(results.toString()).isEqualTo(200);
        assertThat(studyUids(results.dicom())).isEqualTo(union(expected));
    }

    @Test
    @Order(2)
    void aCoordinatorKilledAndStartedAgainAnswersTheNextQuery() throws Exception {
        Map<String, Set<String>> expected = askDirectly(List.copyOf(pacsByAe.keySet()));
        HttpAnswer before = FLEET.get(studies(slowConfig));
        assertThat(before.status()).as(before.toString()).isEqualTo(200);

        coordinator.kill();
        coordinator = FLEET.startCoordinator("spanner-coordinator-2");
        // The config caches nothing: the new coordinator fans out itself.
        HttpAnswer after = FLEET.get(studies(slowConfig));

        assertThat(after.status()).as(after.toString()).isEqualTo(200);
        assertThat(studyUids(before.dicom())).isEqualTo(union(expected));
        assertThat(after.body()).isEqualTo(before.body());
        HttpAnswer status = FLEET.get("/api/v1/spanner/queries/" + after.header("X-Query-Id") + "/status");
        assertCounts(status.json(), expected);
    }

    @Test
    @Order(3)
    void withRedisKilledQueriesAreStillAnsweredCorrectlyButUncached() throws Exception {
        Map<String, Set<String>> expected = askDirectly(List.of("PACSA", "PACSB"));
        // An answer the gateway has read from Redis stays in its memory until the entry's expiry (300 s here).
        String held = studies(fastConfig) + "&includefield=StudyDescription&limit=500";
        HttpAnswer fannedOut = FLEET.get(held);
        HttpAnswer readFromRedis = FLEET.get(held);
        FLEET.redis().kill();
        double tasksBefore = FLEET.metric(worker, "spanner_worker_cfind_duration_seconds_count", "");
        HttpAnswer fromMemory = FLEET.get(held);
        assertThat(fannedOut.status()).as(fannedOut.toString()).isEqualTo(200);
        assertThat(studyUids(fannedOut.dicom())).isEqualTo(union(expected));
        assertThat(readFromRedis.body()).isEqualTo(fannedOut.body());
        assertThat(fromMemory.status()).as(fromMemory.toString()).isEqualTo(200);
        assertThat(fromMemory.body()).as("held by the gateway, Redis gone").isEqualTo(fannedOut.body());
        assertThat(FLEET.metric(worker, "spanner_worker_cfind_duration_seconds_count", "") - tasksBefore)
                .as("tasks of the held answer")
                .isZero();

        HttpAnswer first = FLEET.get(studies(fastConfig) + "&limit=500");
        HttpAnswer second = FLEET.get(studies(fastConfig) + "&limit=500");

        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        assertThat(studyUids(first.dicom())).isEqualTo(union(expected));
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(first.warnings()).isEmpty();
        // Without Redis nothing is cached: both queries asked both PACS.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        double tasks = FLEET.metric(worker, "spanner_worker_cfind_duration_seconds_count", "") - tasksBefore;
        while (tasks < 4 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            tasks = FLEET.metric(worker, "spanner_worker_cfind_duration_seconds_count", "") - tasksBefore;
        }
        assertThat(tasks).as("tasks of two uncached queries over two PACS").isEqualTo(4);
    }
}
