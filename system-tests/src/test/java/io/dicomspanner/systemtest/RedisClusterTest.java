package io.dicomspanner.systemtest;

import static io.dicomspanner.systemtest.DirectFind.studyUids;
import static io.dicomspanner.systemtest.DirectFind.union;
import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.testing.RedisCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The whole fleet (gateway, coordinator, worker, three simulated PACS) on a Redis Cluster of 3 masters and 3
 * replicas: searches answer with each PACS's own matches, a repeated search is a cache hit, an async query's status
 * and results are read back; then a master is stopped, and once its replica has taken over the spanner answers
 * correctly again, synchronously and asynchronously. The time the failover took and the time until the spanner
 * answered again are printed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisClusterTest {

    @RegisterExtension
    static final Fleet FLEET = new Fleet("rediscluster").withRedisCluster(27020);

    private static final Duration QUERY_WAIT = Duration.ofSeconds(60);
    /** Bound on the failover (node timeout 3 s) and on the services following it (topology refresh). */
    private static final Duration FAILOVER_WAIT = Duration.ofSeconds(30);

    private static final Duration RECOVERY_WAIT = Duration.ofSeconds(60);
    /** Searches in a row that must answer fully (answer and status) for the spanner to count as recovered. */
    private static final int RECOVERED_ROUNDS = 12;
    /**
     * And for at least this long: three topology refresh periods (2 s), so that every service has re-read the topology
     * and no slot of the stopped master is still sent to it (12 quick rounds can miss those slots by chance).
     */
    private static final Duration RECOVERED_FOR = Duration.ofSeconds(6);

    private static final String HITS = "spanner_cache_requests_total";
    private static final String HIT = "result=\"hit\"";

    private final List<Long> sources = new ArrayList<>();
    private final List<DirectFind.Pacs> pacs = new ArrayList<>();
    private final DirectFind direct = new DirectFind();
    private long configId;

    @BeforeAll
    void startFleet() throws Exception {
        SimulatorProcess simulator = FLEET.startSimulator(3, 40, List.of("--latency-ms", "5-20"));
        for (SimulatorProcess.Pacs p : simulator.pacs()) {
            sources.add(FLEET.registerSource(p.name(), p.aeTitle(), p.host(), p.port(), Map.of()));
            pacs.add(new DirectFind.Pacs(p.aeTitle(), p.host(), p.port()));
        }
        configId = FLEET.createConfig("Clustered", Map.of("cache_ttl_seconds", 300, "timeout_seconds", 30));
        FLEET.mapSources(configId, sources);
        FLEET.startCoordinator("spanner-coordinator");
        FLEET.startWorker("dimse-query-worker", sources, Map.of());
    }

    @AfterAll
    void closeDirect() {
        direct.close();
    }

    private String studies(String dates) {
        return "/api/v1/spanner/qido/studies?StudyDate=" + dates + "&spanner_config_id=" + configId;
    }

    /** Each PACS's own study UIDs in this date range, asked past the spanner. */
    private Map<String, Set<String>> askDirectly(String dates) throws Exception {
        Map<String, Set<String>> byAe = new LinkedHashMap<>();
        for (DirectFind.Pacs p : pacs) {
            Set<String> uids = new LinkedHashSet<>();
            for (Attributes m : direct.find(p, "STUDY", DirectFind.keys("StudyDate", dates, "StudyInstanceUID", ""))) {
                uids.add(m.getString(Tag.STUDY_INSTANCE_UID));
            }
            byAe.put(p.aeTitle(), uids);
        }
        return byAe;
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
                    .as("query %s finished within %s; last status %s", queryId, QUERY_WAIT, s)
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** A synchronous search answers 200 with every PACS's studies once, and its status counts them per source. */
    private void searchAnswersExactly(String dates) throws Exception {
        Map<String, Set<String>> expected = askDirectly(dates);
        assertThat(union(expected)).as("studies in %s", dates).isNotEmpty();
        HttpAnswer answer = FLEET.get(studies(dates));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(studyUids(answer.dicom())).isEqualTo(union(expected));
        JsonNode status = awaitFinished(answer.header("X-Query-Id"));
        assertThat(status.get("state").asString()).isEqualTo("COMPLETE");
        assertCounts(status, expected);
    }

    /** An async query is accepted, its status ends COMPLETE with the exact counts, its results are the studies. */
    private void asyncQueryAnswersExactly(String dates) throws Exception {
        Map<String, Set<String>> expected = askDirectly(dates);
        HttpAnswer accepted = FLEET.get(studies(dates) + "&async=true");
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        String queryId = accepted.json().get("query_id").asString();
        JsonNode status = awaitFinished(queryId);
        assertThat(status.get("state").asString()).as(status.toString()).isEqualTo("COMPLETE");
        assertCounts(status, expected);
        HttpAnswer results = FLEET.get("/api/v1/spanner/queries/" + queryId + "/results");
        assertThat(results.status()).as(results.toString()).isEqualTo(200);
        assertThat(studyUids(results.dicom())).isEqualTo(union(expected));
    }

    @Test
    void theFleetAnswersOnTheClusterAndAgainAfterAMasterFails() throws Exception {
        RedisCluster cluster = FLEET.redisCluster();

        // sync search, then the same search again: answered by the gateway from the cache, byte for byte
        searchAnswersExactly("20150101-20171231");
        double hitsBefore = FLEET.metric(FLEET.gateway(), HITS, HIT);
        HttpAnswer first = FLEET.get(studies("20150101-20171231"));
        HttpAnswer again = FLEET.get(studies("20150101-20171231"));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(FLEET.metric(FLEET.gateway(), HITS, HIT) - hitsBefore)
                .as("cache hits of the repeated search")
                .isEqualTo(2);
        HttpAnswer hitStatus = FLEET.get("/api/v1/spanner/queries/" + again.header("X-Query-Id") + "/status");
        assertThat(hitStatus.json().get("from_cache").asBoolean())
                .as(hitStatus.toString())
                .isTrue();

        asyncQueryAnswersExactly("20180101-20191231");

        // a master stops; its replica takes over after the node timeout
        long killedAt = System.nanoTime();
        int killed = cluster.killMaster();
        Duration failover = cluster.awaitFailover(FAILOVER_WAIT);

        // Until the services have followed the new topology, commands for the stopped master's slots time out: a
        // search still answers (Redis is an accelerator), but its status may be unreadable. Recovered: the first of
        // RECOVERED_ROUNDS searches in a row, each on a query id of its own and so on a slot of its own, that answered
        // exactly and whose final status was read back. Bounded.
        String dates = "20120101-20141231";
        Map<String, Set<String>> expected = askDirectly(dates);
        long firstGoodRound = 0;
        int goodRounds = 0;
        int attempts = 0;
        while (goodRounds < RECOVERED_ROUNDS || System.nanoTime() - firstGoodRound < RECOVERED_FOR.toNanos()) {
            attempts++;
            long roundStart = System.nanoTime();
            HttpAnswer answer = FLEET.get(studies(dates));
            HttpAnswer status = answer.status() == 200
                    ? FLEET.get("/api/v1/spanner/queries/" + answer.header("X-Query-Id") + "/status")
                    : answer;
            if (answer.status() == 200
                    && studyUids(answer.dicom()).equals(union(expected))
                    && status.status() == 200
                    && !status.json().get("state").asString().equals("RUNNING")) {
                if (goodRounds++ == 0) {
                    firstGoodRound = roundStart;
                }
            } else {
                goodRounds = 0;
                assertThat(System.nanoTime() - killedAt)
                        .as(
                                "spanner answering again within %s of the master stopping; last: %s %s",
                                RECOVERY_WAIT, answer, status)
                        .isLessThan(RECOVERY_WAIT.toNanos());
                Thread.sleep(250);
            }
        }
        Duration recovered = Duration.ofNanos(firstGoodRound - killedAt);
        System.out.printf(
                "Redis Cluster: master %d stopped; replica took over in %d ms; spanner answered correctly again %d ms"
                        + " after the stop (%d attempts)%n",
                killed, failover.toMillis(), recovered.toMillis(), attempts);

        searchAnswersExactly("20200101-20221231");
        asyncQueryAnswersExactly("20230101-20251231");
        // the search cached before the failover is still answered, byte for byte
        HttpAnswer afterFailover = FLEET.get(studies("20150101-20171231"));
        assertThat(afterFailover.status()).isEqualTo(200);
        assertThat(afterFailover.body()).isEqualTo(first.body());
    }
}
