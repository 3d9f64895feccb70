package io.dicomspanner.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The services on a 3-node RabbitMQ cluster ({@link Fleet.Broker#LOCAL_CLUSTER}): they connect through {@code
 * spring.rabbitmq.addresses}, the durable queues are quorum queues, and a node killed (SIGKILL) under them costs a
 * bounded recovery time, after which queries are answered exactly as before; the per-instance exclusive answer queue
 * lost with its node while a query waits on it gives a bounded outcome, and the next queries work.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RabbitClusterFailoverTest {

    @RegisterExtension
    static final Fleet FLEET = new Fleet("rabbitcluster", Fleet.Broker.LOCAL_CLUSTER);

    private static final String DATES = "20150101-20171231";
    private static final int TIMEOUT_SECONDS = 30;
    /** The slow PACS's answer time: long enough to kill a node while the query waits. */
    private static final int SLOW_LATENCY_MILLIS = 5000;
    /** How long the services may take to be back on the surviving nodes. */
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(90);

    // the topology's names (common-model Topology), as the broker lists them
    private static final String REQUESTS_QUEUE = "spanner.requests";
    private static final String DEAD_LETTER_QUEUE = "spanner.dead-letters";
    private static final String ANSWERS_QUEUE_PREFIX = "spanner.answers.";
    private static final String RESULTS_QUEUE_PREFIX = "spanner.results.";

    private final Map<String, DirectFind.Pacs> pacsByAe = new LinkedHashMap<>();
    private DirectFind direct;
    private long fastConfig;
    private long slowConfig;
    private List<Long> fastSources;
    private Fleet.Service worker;

    @BeforeAll
    void startFleet() throws Exception {
        SimulatorProcess fast = FLEET.startSimulator(2, 40, List.of("--latency-ms", "5-20"));
        SimulatorProcess slow = FLEET.startSimulator(
                3, 40, List.of("--latency-ms", Integer.toString(SLOW_LATENCY_MILLIS)), "pacs-simulator-slow");
        long a = register(fast.pacs("PACS_A"), "PACS_A");
        long b = register(fast.pacs("PACS_B"), "PACS_B");
        long slowC = register(slow.pacs("PACS_C"), "SLOW_PACS_C");
        fastSources = List.of(a, b);
        direct = new DirectFind();
        fastConfig = FLEET.createConfig("fast", Map.of("timeout_seconds", TIMEOUT_SECONDS, "cache_ttl_seconds", 0));
        FLEET.mapSources(fastConfig, fastSources);
        slowConfig = FLEET.createConfig("slow", Map.of("timeout_seconds", TIMEOUT_SECONDS, "cache_ttl_seconds", 0));
        FLEET.mapSources(slowConfig, List.of(a, b, slowC));
        FLEET.startCoordinator("spanner-coordinator");
        worker = FLEET.startWorker("dimse-query-worker", List.of(a, b, slowC), Map.of());
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

    /** The Study Instance UIDs the PACS answer when asked directly, de-duplicated. */
    private Set<String> expected(List<String> aeTitles) throws Exception {
        Set<String> uids = new LinkedHashSet<>();
        for (String ae : aeTitles) {
            for (Attributes m : direct.find(
                    pacsByAe.get(ae), "STUDY", DirectFind.keys("StudyDate", DATES, "StudyInstanceUID", ""))) {
                uids.add(m.getString(Tag.STUDY_INSTANCE_UID));
            }
        }
        return uids;
    }

    private static Set<String> studyUids(HttpAnswer answer) {
        List<String> uids = answer.dicom().stream()
                .map(a -> a.getString(Tag.STUDY_INSTANCE_UID))
                .toList();
        assertThat(uids).as("each study once").doesNotHaveDuplicates();
        return new LinkedHashSet<>(uids);
    }

    private String studies(long configId) {
        return "/api/v1/spanner/qido/studies?StudyDate=" + DATES + "&spanner_config_id=" + configId;
    }

    private List<String> fastAes() {
        return List.copyOf(pacsByAe.keySet()).subList(0, 2);
    }

    @Test
    @Order(1)
    void theDurableQueuesAreQuorumQueuesAndTheInstanceQueuesClassic() throws Exception {
        HttpAnswer answer = FLEET.get(studies(fastConfig));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(studyUids(answer)).isEqualTo(expected(fastAes()));

        Map<String, String> types = FLEET.rabbitCluster().queueTypes(1, FLEET.virtualHost());
        System.out.println("queues of the run: " + types);
        assertThat(types).containsEntry(REQUESTS_QUEUE, "quorum").containsEntry(DEAD_LETTER_QUEUE, "quorum");
        for (long source : fastSources) {
            assertThat(types).containsEntry("spanner.tasks.source." + source, "quorum");
        }
        assertThat(types.entrySet().stream()
                        .filter(e -> e.getKey().startsWith(ANSWERS_QUEUE_PREFIX)
                                || e.getKey().startsWith(RESULTS_QUEUE_PREFIX))
                        .map(Map.Entry::getValue)
                        .toList())
                .as("per-instance answer and result queues")
                .hasSize(2)
                .containsOnly("classic");
    }

    @Test
    @Order(2)
    void killingTheNodeTheServicesUseAndTheRequestsQueueLeaderCostsABoundedRecovery() throws Exception {
        RabbitCluster cluster = FLEET.rabbitCluster();
        Set<String> expected = expected(fastAes());
        // Node 1 is the first address: every service is connected there, and queues are placed where declared.
        int leader = cluster.nodeOf(1, FLEET.virtualHost(), REQUESTS_QUEUE);
        assertThat(leader).as("leader of the requests queue").isEqualTo(1);

        long killed = System.nanoTime();
        cluster.killNode(1);
        int attempts = 0;
        Duration recovery;
        while (true) {
            attempts++;
            HttpAnswer answer = FLEET.get(studies(fastConfig));
            if (answer.status() == 200 && studyUids(answer).equals(expected)) {
                recovery = Duration.ofNanos(System.nanoTime() - killed);
                break;
            }
            System.out.println("after the kill, attempt " + attempts + ": " + answer.status());
            assertThat(Duration.ofNanos(System.nanoTime() - killed))
                    .as("queries answered again within %s", RECOVERY_BOUND)
                    .isLessThan(RECOVERY_BOUND);
            Thread.sleep(500);
        }
        System.out.println("RabbitMQ node killed: queries answered correctly again after " + recovery.toMillis()
                + " ms (" + attempts + " attempts)");
        assertThat(cluster.nodeOf(2, FLEET.virtualHost(), REQUESTS_QUEUE))
                .as("new leader of the requests queue")
                .isIn(2, 3);
        for (int i = 0; i < 3; i++) {
            HttpAnswer again = FLEET.get(studies(fastConfig));
            assertThat(again.status()).as(again.toString()).isEqualTo(200);
            assertThat(studyUids(again)).isEqualTo(expected);
        }

        cluster.startNode(1);
        assertThat(cluster.queueTypes(1, FLEET.virtualHost())).containsEntry(REQUESTS_QUEUE, "quorum");
        HttpAnswer afterRejoin = FLEET.get(studies(fastConfig));
        assertThat(afterRejoin.status()).as(afterRejoin.toString()).isEqualTo(200);
        assertThat(studyUids(afterRejoin)).isEqualTo(expected);
    }

    @Test
    @Order(3)
    void losingTheGatewaysAnswerQueueWhileAQueryWaitsGivesABoundedOutcomeAndTheNextQueriesWork() throws Exception {
        RabbitCluster cluster = FLEET.rabbitCluster();
        Set<String> expected = expected(List.copyOf(pacsByAe.keySet()));
        String answers = FLEET.rabbitCluster().queueTypes(2, FLEET.virtualHost()).keySet().stream()
                .filter(q -> q.startsWith(ANSWERS_QUEUE_PREFIX))
                .findFirst()
                .orElseThrow();
        int node = cluster.nodeOf(2, FLEET.virtualHost(), answers);
        System.out.println("the gateway's answer queue " + answers + " lives on node " + node);

        long asked = System.nanoTime();
        CompletableFuture<HttpAnswer> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return FLEET.get(studies(slowConfig));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // The slow PACS answers after 5 s: the query is waiting on its answer queue meanwhile.
        long busyDeadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (FLEET.metric(worker, "spanner_worker_busy_tasks", "") < 1) {
            assertThat(System.nanoTime()).as("worker busy within 20 s").isLessThan(busyDeadline);
            Thread.sleep(50);
        }
        cluster.killNode(node);
        HttpAnswer outcome = inFlight.get(TIMEOUT_SECONDS + 60, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - asked);
        System.out.println("query in flight over the loss of its answer queue: " + outcome.status() + " after "
                + took.toMillis() + " ms: " + outcome);
        // the gateway waits the config's timeout plus its 2 s margin at most, then answers 504 with the status URL
        assertThat(took).as("bounded by the query's deadline").isLessThan(Duration.ofSeconds(TIMEOUT_SECONDS + 2 + 10));
        if (outcome.status() == 200) {
            // the answer queue was declared again before the coordinator answered: the answer arrived in full
            // (only what is published while no queue of that name exists is lost)
            assertThat(studyUids(outcome)).isEqualTo(expected);
        } else {
            assertThat(outcome.status()).as(outcome.toString()).isEqualTo(504);
            assertThat(new String(outcome.body(), StandardCharsets.UTF_8))
                    .as("an explained failure")
                    .contains("No answer from the spanner within");
            assertThat(outcome.header("Location")).as("the status URL").isNotBlank();
        }

        long recoveryStart = System.nanoTime();
        HttpAnswer next = FLEET.get(studies(slowConfig));
        while (next.status() != 200
                && Duration.ofNanos(System.nanoTime() - recoveryStart).compareTo(RECOVERY_BOUND) < 0) {
            Thread.sleep(500);
            next = FLEET.get(studies(slowConfig));
        }
        assertThat(next.status()).as(next.toString()).isEqualTo(200);
        assertThat(studyUids(next)).isEqualTo(expected);
        cluster.startNode(node);
    }
}
