package io.dicomspanner.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SourceResult;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.worker.testing.TestPacs;
import io.dicomspanner.worker.testing.WorkerTestSupport;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The Prometheus text a scraper reads after tasks: per source duration, results and errors by outcome; utilization. */
class WorkerMetricsTest extends WorkerTestSupport {

    @Autowired
    PrometheusMeterRegistry prometheus;

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
            publish(task(studyRoot(source, pacs.port()), "STUDY", query, inSeconds(30), 0));
            assertThat(resultsUntilFinal()).extracting(SourceResult::outcome).containsExactly(SourceOutcome.SUCCESS);
            pacs.mode(TestPacs.Mode.FAIL_A700);
            publish(task(studyRoot(source, pacs.port()), "STUDY", query, inSeconds(30), 0));
            assertThat(resultsUntilFinal())
                    .extracting(SourceResult::outcome)
                    .containsExactly(SourceOutcome.FAILED_STATUS);

            List<String> lines = prometheus.scrape().lines().toList();

            String s = "source=\"" + source + "\"";
            assertThat(lines).contains("spanner_worker_cfind_duration_seconds_count{" + s + "} 2");
            assertThat(lines).contains("spanner_worker_cfind_results_total{" + s + "} 1.0");
            assertThat(lines).contains("spanner_worker_cfind_errors_total{outcome=\"FAILED_STATUS\"," + s + "} 1.0");
            assertThat(lines).contains("spanner_worker_associations{" + s + ",state=\"open\"} 1.0");
            assertThat(lines).contains("spanner_worker_task_capacity 64.0");
            assertThat(lines).anyMatch(l -> l.startsWith("spanner_worker_busy_tasks "));
        }
    }
}
