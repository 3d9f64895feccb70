package io.dicomspanner.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
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
 * The three failure strategies with one PACS dead (its port registered, nothing listening) and one hanging (it takes
 * the C-FIND and never answers), beside two that answer: the simulator's DEAD and HANGING modes (docs/simulator.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailureStrategyTest {

    @RegisterExtension
    static final Fleet FLEET = new Fleet("failure");

    private static final String DATES = "20150101-20161231";
    /** The config's deadline; the hanging PACS gets less through its mapping. */
    private static final int TIMEOUT_SECONDS = 10;
    /** The hanging PACS's mapping timeout ({@code timeout_override}). */
    private static final int HANGING_TIMEOUT_SECONDS = 3;

    private long healthyA;
    private long hanging;
    private long dead;
    private long healthyD;
    private SimulatorProcess simulator;
    private DirectFind direct;

    @BeforeAll
    void startFleet() throws Exception {
        simulator = FLEET.startSimulator(
                4, 40, List.of("--latency-ms", "5-20", "--mode", "PACS_B=HANGING", "--mode", "PACS_C=DEAD"));
        healthyA = register("PACS_A");
        hanging = register("PACS_B");
        dead = register("PACS_C");
        healthyD = register("PACS_D");
        direct = new DirectFind();
        FLEET.startCoordinator("spanner-coordinator");
        // A high circuit threshold: the dead and the hanging PACS fail in every test, and each must be reported as
        // what it is (connection failed, timeout), not as an open circuit after the fifth failure.
        FLEET.startWorker(
                "dimse-query-worker",
                List.of(healthyA, hanging, dead, healthyD),
                Map.of("SPANNER_WORKER_CIRCUIT_FAILURE_THRESHOLD", "1000"));
    }

    @AfterAll
    void closeClient() {
        if (direct != null) {
            direct.close();
        }
    }

    private long register(String name) throws Exception {
        SimulatorProcess.Pacs p = simulator.pacs(name);
        return FLEET.registerSource(p.name(), p.aeTitle(), p.host(), p.port(), Map.of());
    }

    /** A config over {@code sources} in priority order; the hanging PACS gets its shorter timeout. */
    private long config(String name, Map<String, Object> fields, List<Long> sources) throws Exception {
        Map<String, Object> all = new LinkedHashMap<>(fields);
        all.put("timeout_seconds", TIMEOUT_SECONDS);
        all.put("retry_attempts", 1);
        all.put("cache_ttl_seconds", 0);
        long id = FLEET.createConfig(name, all);
        int priority = 1;
        for (long source : sources) {
            Map<String, Object> extra =
                    source == hanging ? Map.of("timeout_override", HANGING_TIMEOUT_SECONDS) : Map.<String, Object>of();
            FLEET.mapSource(id, source, priority++, extra);
        }
        return id;
    }

    /** All four sources: A, the hanging B, the dead C, D. */
    private List<Long> allFour() {
        return List.of(healthyA, hanging, dead, healthyD);
    }

    private static Map<String, Object> minimumThreshold(int sources) {
        return Map.of("failure_strategy", "minimum_threshold", "minimum_success_threshold", sources);
    }

    private HttpAnswer studies(long configId) throws Exception {
        return FLEET.get("/api/v1/spanner/qido/studies?StudyDate=" + DATES + "&spanner_config_id=" + configId);
    }

    /** A search's answer and how long it took. */
    private record Timed(HttpAnswer answer, long millis) {}

    private Timed timedStudies(long configId) throws Exception {
        long start = System.nanoTime();
        HttpAnswer answer = studies(configId);
        return new Timed(answer, (System.nanoTime() - start) / 1_000_000);
    }

    /** The Study Instance UIDs PACS_A and PACS_D hold in the date range, asked directly. */
    private Set<String> healthyStudies() throws Exception {
        Set<String> uids = new LinkedHashSet<>();
        for (String name : List.of("PACS_A", "PACS_D")) {
            SimulatorProcess.Pacs p = simulator.pacs(name);
            for (Attributes a : direct.find(
                    new DirectFind.Pacs(p.aeTitle(), p.host(), p.port()),
                    "STUDY",
                    DirectFind.keys("StudyDate", DATES, "StudyInstanceUID", ""))) {
                uids.add(a.getString(Tag.STUDY_INSTANCE_UID));
            }
        }
        return uids;
    }

    private static Set<String> studyUids(HttpAnswer answer) {
        List<String> uids = answer.dicom().stream()
                .map(a -> a.getString(Tag.STUDY_INSTANCE_UID))
                .toList();
        assertThat(uids).doesNotHaveDuplicates();
        return new LinkedHashSet<>(uids);
    }

    /** One Warning per failed source, naming it and its outcome. */
    private static void assertDeadAndHangingWarned(HttpAnswer answer) {
        assertThat(answer.warnings()).hasSize(2);
        assertThat(answer.warnings())
                .allMatch(w -> w.startsWith("299 "))
                .anyMatch(w -> w.contains("\"Source PACS_B (AE PACSB) timeout"))
                .anyMatch(w -> w.contains("\"Source PACS_C (AE PACSC) connection_failed"));
    }

    /** An RFC 9457 problem with {@code status}, its detail naming each of {@code named}. */
    private static void assertProblem(HttpAnswer answer, int status, String... named) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.json().get("detail").asString()).contains(named);
    }

    private JsonNode status(HttpAnswer answer) throws Exception {
        HttpAnswer status = FLEET.get("/api/v1/spanner/queries/" + answer.header("X-Query-Id") + "/status");
        assertThat(status.status()).as(status.toString()).isEqualTo(200);
        return status.json();
    }

    private String state(HttpAnswer answer) throws Exception {
        return status(answer).get("state").asString();
    }

    @Test
    void partialResultsAnswersWithinTheTimeoutWithTheOthersMatchesAndTwoWarnings() throws Exception {
        long id = config("partial", Map.of("failure_strategy", "partial_results"), allFour());

        Timed timed = timedStudies(id);

        HttpAnswer answer = timed.answer();
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(timed.millis()).as("answer time (ms)").isLessThan(TIMEOUT_SECONDS * 1000L);
        Set<String> expected = healthyStudies();
        assertThat(expected).isNotEmpty();
        assertThat(studyUids(answer)).isEqualTo(expected);
        assertDeadAndHangingWarned(answer);
        JsonNode status = status(answer);
        assertThat(status.get("state").asString()).isEqualTo("PARTIAL");
        assertThat(status.get("matches_after_deduplication").asInt()).isEqualTo(expected.size());
    }

    @Test
    void failFastAnswers502WhenASourceRefusesConnections() throws Exception {
        long id = config("fail fast dead", Map.of("failure_strategy", "fail_fast"), List.of(healthyA, dead));

        assertProblem(studies(id), 502, "PACS_C", "connection_failed");
    }

    @Test
    void failFastAnswers504WhenASourceDoesNotAnswerInTime() throws Exception {
        long id = config("fail fast hanging", Map.of("failure_strategy", "fail_fast"), List.of(healthyA, hanging));

        assertProblem(studies(id), 504, "PACS_B", "timeout");
    }

    @Test
    void minimumThresholdMetAnswers200WithTheAnswerOfThoseThatAnsweredAndWarnings() throws Exception {
        long id = config("threshold met", minimumThreshold(2), allFour());

        HttpAnswer answer = studies(id);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(studyUids(answer)).isEqualTo(healthyStudies());
        assertDeadAndHangingWarned(answer);
        assertThat(state(answer)).isEqualTo("PARTIAL");
    }

    @Test
    void minimumThresholdNotMetIsAnErrorOnceTooFewSourcesCanStillAnswer() throws Exception {
        // Four sources, four needed: the dead one's refusal decides it, before the hanging one's deadline.
        long id = config("threshold not met", minimumThreshold(4), allFour());

        Timed timed = timedStudies(id);

        assertProblem(timed.answer(), 502, "PACS_C");
        assertThat(timed.millis()).as("answer time (ms)").isLessThan(HANGING_TIMEOUT_SECONDS * 1000L);
        assertThat(state(timed.answer())).isEqualTo("FAILED");
    }

    @Test
    void minimumThresholdNotMetBecauseASourceTimedOutIs504AtThatSourcesDeadline() throws Exception {
        // Three of four needed: after the dead one fails three can still answer, until the hanging one times out.
        long id = config("threshold not met by a timeout", minimumThreshold(3), allFour());

        Timed timed = timedStudies(id);

        assertProblem(timed.answer(), 504, "PACS_B", "timeout");
        assertThat(timed.millis())
                .as("answer time (ms)")
                .isBetween(HANGING_TIMEOUT_SECONDS * 1000L, TIMEOUT_SECONDS * 1000L);
        assertThat(state(timed.answer())).isEqualTo("TIMED_OUT");
    }
}
