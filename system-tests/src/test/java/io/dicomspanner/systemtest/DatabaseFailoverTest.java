package io.dicomspanner.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.interop.Findscu;
import io.dicomspanner.dicom.net.Status;
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
 * The fleet on a PostgreSQL primary and its streaming replica: writers reach the primary through a multi-host URL
 * ({@code targetServerType=primary}), config and source readers read the replica ({@code spanner.read-replica.url}).
 * With the primary stopped, a coordinator, worker and listener started afresh learn configs and sources from the
 * replica and answer QIDO-RS and C-FIND exactly as the PACS do; an admin change is a 503 problem with
 * {@code Retry-After}, within the pool's connection timeout; once the replica is promoted, changes work again and the
 * query log rows kept in the outbox during the outage arrive.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseFailoverTest {

    /** Ports of the run's primary and replica (this test's range, 25432-25439). */
    private static final int PRIMARY_PORT = 25432;

    private static final int REPLICA_PORT = 25433;

    @RegisterExtension
    static final Fleet FLEET = new Fleet("dbfailover")
            // keys verified before the outage keep working through it by the default
            // spanner.api-keys.trusted-while-database-unavailable, though their 5 s verification has long expired
            .onReplicaPair(PRIMARY_PORT, REPLICA_PORT);

    private static final String SCP_AE = "SPANNER_HA";
    /** What a change may cost at most while the primary is away: the pool's 5 s connection timeout and margin. */
    private static final Duration CHANGE_BOUND = Duration.ofSeconds(15);

    private final Map<String, DirectFind.Pacs> pacs = new LinkedHashMap<>();
    private DirectFind direct;
    private long configId;
    private Fleet.Service coordinator;
    private Fleet.Service worker;
    private Fleet.Listener listener;

    @BeforeAll
    void startFleet() throws Exception {
        SimulatorProcess simulator = FLEET.startSimulator(2, 40, List.of("--latency-ms", "5-20"));
        long a = register(simulator.pacs("PACS_A"), "PACS_A");
        long b = register(simulator.pacs("PACS_B"), "PACS_B");
        direct = new DirectFind();
        configId = FLEET.createConfig("failover", Fleet.comparedConfig(Map.of("scp_ae_title", SCP_AE)));
        FLEET.mapSources(configId, List.of(a, b));
        coordinator = FLEET.startCoordinator("spanner-coordinator");
        // no list: the worker serves what the source directory says
        worker = FLEET.startWorker("dimse-query-worker", List.of(), Map.of());
        listener = FLEET.startListener("dimse-scp-listener");
        FLEET.replicaPair().awaitReplayed(Duration.ofSeconds(30));
    }

    @AfterAll
    void closeClient() {
        if (direct != null) {
            direct.close();
        }
    }

    private long register(SimulatorProcess.Pacs p, String name) throws Exception {
        pacs.put(p.aeTitle(), new DirectFind.Pacs(p.aeTitle(), p.host(), p.port()));
        return FLEET.registerSource(name, p.aeTitle(), p.host(), p.port(), Map.of());
    }

    /** Every PACS's Study Instance UIDs in {@code dates}, asked directly, united. */
    private Set<String> askDirectly(String dates) throws Exception {
        Set<String> uids = new LinkedHashSet<>();
        for (DirectFind.Pacs p : pacs.values()) {
            for (Attributes m : direct.find(p, "STUDY", DirectFind.keys("StudyDate", dates, "StudyInstanceUID", ""))) {
                uids.add(m.getString(Tag.STUDY_INSTANCE_UID));
            }
        }
        return uids;
    }

    private Set<String> viaQido(String dates) throws Exception {
        HttpAnswer answer =
                FLEET.get("/api/v1/spanner/qido/studies?StudyDate=" + dates + "&spanner_config_id=" + configId);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.warnings()).as(answer.toString()).isEmpty();
        List<String> uids = answer.dicom().stream()
                .map(a -> a.getString(Tag.STUDY_INSTANCE_UID))
                .toList();
        assertThat(uids).as("each study once").doesNotHaveDuplicates();
        return new LinkedHashSet<>(uids);
    }

    private Set<String> viaListener(String dates) throws Exception {
        Findscu.Result result = Findscu.to("127.0.0.1", listener.dicomPort(), SCP_AE)
                .level("STUDY")
                .key("StudyDate", dates)
                .key("StudyInstanceUID")
                .run();
        assertThat(result.finalStatus()).as(result.log()).isEqualTo(Status.SUCCESS);
        List<String> uids = result.responses().stream()
                .map(a -> a.getString(Tag.STUDY_INSTANCE_UID))
                .toList();
        assertThat(uids).as("each study once").doesNotHaveDuplicates();
        return new LinkedHashSet<>(uids);
    }

    private static Map<String, Object> newSource(String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("ae_title", name);
        body.put("host", "127.0.0.1");
        body.put("port", 104);
        body.put("calling_ae_title", "SPANNER");
        body.put("max_associations", 4);
        body.put("query_timeout_seconds", 20);
        body.put("tls", false);
        return body;
    }

    @Test
    @Order(1)
    void withThePrimaryUpQidoAndTheListenerAnswerWhatThePacsHold() throws Exception {
        String dates = "20100101-20121231";
        Set<String> expected = askDirectly(dates);
        assertThat(expected).as("the date range must hold studies").isNotEmpty();

        assertThat(viaQido(dates)).isEqualTo(expected);
        assertThat(viaListener(dates)).isEqualTo(expected);
        assertThat(FLEET.replicaPair().inRecovery(REPLICA_PORT)).isEqualTo("t");
    }

    @Test
    @Order(2)
    void withThePrimaryStoppedFreshServicesReadConfigsAndSourcesFromTheReplicaAndAnswerExactly() throws Exception {
        FLEET.replicaPair().stopPrimary();
        // Started now, they can only have learned the configs and sources from the replica.
        coordinator.kill();
        worker.kill();
        listener.service().kill();
        coordinator = FLEET.startCoordinator("spanner-coordinator-2");
        worker = FLEET.startWorker("dimse-query-worker-2", List.of(), Map.of());
        listener = FLEET.startListener("dimse-scp-listener-2");

        for (String dates : List.of("20130101-20141231", "20150101-20171231")) {
            Set<String> expected = askDirectly(dates);
            assertThat(expected).as("the date range must hold studies").isNotEmpty();
            assertThat(viaQido(dates)).as("QIDO-RS %s", dates).isEqualTo(expected);
            assertThat(viaListener(dates)).as("C-FIND %s", dates).isEqualTo(expected);
        }
    }

    @Test
    @Order(3)
    void withThePrimaryStoppedAnAdminChangeIsA503ProblemWithRetryAfterWithinTheConnectionTimeout() throws Exception {
        long start = System.nanoTime();
        HttpAnswer answer = FLEET.postAnswer("/api/v1/sources/", newSource("PACS_NEW"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(503);
        assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(answer.header("Retry-After")).isEqualTo("30");
        JsonNode problem = answer.json();
        assertThat(problem.get("status").asInt()).isEqualTo(503);
        assertThat(problem.get("detail").asString())
                .isEqualTo("The configuration database is unavailable; the change was not made. Try again later.");
        assertThat(problem.get("instance").asString()).isEqualTo("/api/v1/sources");
        assertThat(answer.text()).doesNotContain("Exception").doesNotContain("at io.");
        assertThat(took).isLessThan(CHANGE_BOUND);
    }

    @Test
    @Order(4)
    void withTheReplicaPromotedAdminChangesWorkAgainThroughTheSameUrl() throws Exception {
        FLEET.replicaPair().promoteReplica();
        assertThat(FLEET.replicaPair().inRecovery(REPLICA_PORT)).isEqualTo("f");

        HttpAnswer answer = FLEET.postAnswer("/api/v1/sources/", newSource("PACS_NEW"));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
        assertThat(answer.json().get("name").asString()).isEqualTo("PACS_NEW");
        String dates = "20100101-20121231";
        assertThat(viaQido(dates)).isEqualTo(askDirectly(dates));
        // One query log row per spanning query: 2 before the outage, 4 during it (kept in the coordinator's outbox
        // and inserted once the promoted replica takes writes), this one.
        assertThat(awaitQueryLogRows(7)).isEqualTo(7);
    }

    /** The count of query log rows once it reaches {@code expected}, or after 60 s whatever it is then. */
    private long awaitQueryLogRows(long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            long rows = Long.parseLong(
                    FLEET.replicaPair().sql(REPLICA_PORT, FLEET.databaseName(), "select count(*) from query_log"));
            if (rows >= expected || System.nanoTime() > deadline) {
                return rows;
            }
            Thread.sleep(200);
        }
    }
}
