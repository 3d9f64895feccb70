package io.dicomspanner.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SourceResult;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.worker.health.HealthChecker;
import io.dicomspanner.worker.testing.TestPacs;
import io.dicomspanner.worker.testing.WorkerTestSupport;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The Prometheus text a scraper reads after tasks: per source duration histogram, results and errors by outcome,
 * utilization, circuit state, C-ECHO health.
 */
class WorkerMetricsTest extends WorkerTestSupport {

    @Autowired
    PrometheusMeterRegistry prometheus;

    @Autowired
    HealthChecker health;

    @Test
    void aTaskIsCountedPerSourceWithItsResultsAndAFailureByOutcome() throws Exception {
        try (TestPacs pacs = new TestPacs(Set.copyOf(SopClasses.QUERY_FIND), true)) {
            pacs.add(
                    QueryLevel.STUDY,
                    new Attributes()
                            .setString(Tag.PATIENT_ID, VR.LO, "P1")
                            .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.3"));
            long source = newSourceId();
            Attributes query = new Attributes()
                    .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                    .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);
            publish(task(studyRoot(source, pacs.port()), QueryLevel.STUDY, query, inSeconds(30), 0));
            assertThat(resultsUntilFinal()).extracting(SourceResult::outcome).containsExactly(SourceOutcome.SUCCESS);
            pacs.mode(TestPacs.Mode.FAIL_A700);
            publish(task(studyRoot(source, pacs.port()), QueryLevel.STUDY, query, inSeconds(30), 0));
            assertThat(resultsUntilFinal())
                    .extracting(SourceResult::outcome)
                    .containsExactly(SourceOutcome.FAILED_STATUS);

            List<String> lines = prometheus.scrape().lines().toList();

            String s = "source=\"" + source + "\"";
            assertThat(lines).contains("spanner_worker_cfind_duration_seconds_count{" + s + "} 2");
            assertThat(lines).contains("spanner_worker_cfind_duration_seconds_bucket{" + s + ",le=\"+Inf\"} 2");
            assertThat(lines).contains("spanner_worker_cfind_results_total{" + s + "} 1.0");
            assertThat(lines).contains("spanner_worker_cfind_errors_total{outcome=\"FAILED_STATUS\"," + s + "} 1.0");
            assertThat(lines)
                    .contains("spanner_worker_associations{" + s
                            + ",state=\"open\"} 1.0"); // kept open, with its lease, for the next C-FIND
            assertThat(lines).contains("spanner_worker_association_waiting{" + s + "} 0.0");
            // the second C-FIND ran on the association the first left open: one lease taken
            assertThat(lines).contains("spanner_worker_association_wait_seconds_count{" + s + "} 1");
            assertThat(lines).contains("spanner_worker_task_capacity 1024.0");
            assertThat(lines).anyMatch(l -> l.startsWith("spanner_worker_busy_tasks "));
            assertThat(lines).contains("spanner_worker_circuit_state{" + s + ",state=\"closed\"} 1.0");
            assertThat(lines).contains("spanner_worker_circuit_state{" + s + ",state=\"open\"} 0.0");
        }
    }

    @Test
    void theCircuitStateSetShowsOpenOnceConnectionFailuresOpenedIt() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        SourceEndpoint dead = studyRoot(newSourceId(), closedPort);
        Attributes query = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);
        String s = "source=\"" + dead.sourceId() + "\"";
        try {
            // the test settings open the circuit after 2 consecutive connection failures
            for (int i = 0; i < 2; i++) {
                publish(task(dead, QueryLevel.STUDY, query, inSeconds(30), 0));
                assertThat(resultsUntilFinal())
                        .extracting(SourceResult::outcome)
                        .containsExactly(SourceOutcome.CONNECTION_FAILED);
            }
            assertThat(prometheus.scrape().lines().toList())
                    .contains("spanner_worker_circuit_state{" + s + ",state=\"closed\"} 1.0");

            publish(task(dead, QueryLevel.STUDY, query, inSeconds(30), 0));
            assertThat(resultsUntilFinal())
                    .extracting(SourceResult::outcome)
                    .containsExactly(SourceOutcome.CIRCUIT_OPEN);

            List<String> lines = prometheus.scrape().lines().toList();
            assertThat(lines)
                    .contains("spanner_worker_circuit_state{" + s + ",state=\"open\"} 1.0")
                    .contains("spanner_worker_circuit_state{" + s + ",state=\"closed\"} 0.0")
                    .contains("spanner_worker_circuit_state{" + s + ",state=\"half_open\"} 0.0")
                    .contains("spanner_worker_cfind_errors_total{outcome=\"CONNECTION_FAILED\"," + s + "} 2.0")
                    .contains("spanner_worker_cfind_errors_total{outcome=\"CIRCUIT_OPEN\"," + s + "} 1.0");
        } finally {
            redis.delete(
                    List.of(RedisKeys.sourceCircuit(dead.sourceId()), RedisKeys.sourceCircuitTrial(dead.sourceId())));
        }
    }

    @Test
    void anEchoSetsTheSourceUpGaugeWithItsAeTitleAndTimesTheEcho() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (TestPacs pacs = new TestPacs(Set.copyOf(SopClasses.QUERY_FIND), true)) {
            SourceEndpoint up = studyRoot(newSourceId(), pacs.port());
            SourceEndpoint down = studyRoot(newSourceId(), closedPort);
            try {
                health.check(up).join();
                health.check(down).join();

                List<String> lines = prometheus.scrape().lines().toList();
                String u = "source=\"" + up.sourceId() + "\"";
                String d = "source=\"" + down.sourceId() + "\"";
                assertThat(lines)
                        .contains("spanner_worker_source_up{ae_title=\"TESTPACS\"," + u + "} 1.0")
                        .contains("spanner_worker_source_up{ae_title=\"TESTPACS\"," + d + "} 0.0")
                        .contains("spanner_worker_echo_duration_seconds_count{result=\"up\"," + u + "} 1")
                        .contains("spanner_worker_echo_duration_seconds_count{result=\"down\"," + d + "} 1");
            } finally {
                redis.delete(RedisKeys.sourceHealth(up.sourceId()));
                redis.delete(RedisKeys.sourceHealth(down.sourceId()));
            }
        }
    }
}
