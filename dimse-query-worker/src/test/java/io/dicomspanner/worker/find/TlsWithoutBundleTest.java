package io.dicomspanner.worker.find;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceHealth;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SourceResult;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.worker.health.HealthChecker;
import io.dicomspanner.worker.testing.TestPacs;
import io.dicomspanner.worker.testing.WorkerTestSupport;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A worker without a {@code dicom-client} bundle starts and serves plain sources; TLS sources fail saying why. */
class TlsWithoutBundleTest extends WorkerTestSupport {

    @Autowired
    HealthChecker health;

    @Test
    void aTlsSourceFailsNamingTheMissingBundleWhileAPlainOneAnswers() throws Exception {
        try (TestPacs pacs = new TestPacs(Set.copyOf(SopClasses.QUERY_FIND), true)) {
            pacs.add(
                    QueryLevel.STUDY,
                    new Attributes()
                            .setString(Tag.PATIENT_ID, VR.LO, "PLAIN-1")
                            .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "2.25.7002"));
            Attributes query = new Attributes()
                    .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                    .setString(Tag.PATIENT_ID, VR.LO, "PLAIN-1")
                    .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);
            SourceEndpoint tls = new SourceEndpoint(
                    newSourceId(),
                    "tls source",
                    "TESTPACS",
                    "127.0.0.1",
                    pacs.port(),
                    "SPANNER",
                    true,
                    4,
                    30,
                    List.of(InformationModel.STUDY_ROOT),
                    true);

            publish(task(tls, QueryLevel.STUDY, query, inSeconds(60), 2));
            SourceResult failed = last(resultsUntilFinal());
            assertThat(failed.outcome()).isEqualTo(SourceOutcome.CONNECTION_FAILED);
            assertThat(failed.error()).isEqualTo("no TLS client bundle 'dicom-client' configured");
            SourceHealth down = health.check(tls).join();
            assertThat(down.state()).isEqualTo(SourceHealth.State.DOWN);
            assertThat(down.error()).isEqualTo("no TLS client bundle 'dicom-client' configured");
            assertThat(pacs.associations()).isZero();

            assertThat(matches(successfulRun(studyRoot(newSourceId(), pacs.port()), QueryLevel.STUDY, query)))
                    .extracting(a -> a.getString(Tag.STUDY_INSTANCE_UID))
                    .containsExactly("2.25.7002");
        }
    }
}
