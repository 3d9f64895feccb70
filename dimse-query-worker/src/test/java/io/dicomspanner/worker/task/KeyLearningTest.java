package io.dicomspanner.worker.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.capability.KeyObservation;
import io.dicomspanner.common.capability.KeyObservationRows;
import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceResult;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.worker.capability.ObservationRecorder;
import io.dicomspanner.worker.testing.TestDatabase;
import io.dicomspanner.worker.testing.TestPacs;
import io.dicomspanner.worker.testing.WorkerTestSupport;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Learning from a source's own answers which matching keys it does not apply: a test PACS that ignores some keys (or
 * never returns one) answers real tasks, and what the worker stores in {@code source_key_observation} is read back.
 */
class KeyLearningTest extends WorkerTestSupport {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ObservationRecorder recorder;

    @Autowired
    PrometheusMeterRegistry prometheus;

    static Attributes study(String uid, String patientName, String sex, String description, String referrer) {
        return new Attributes()
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, uid)
                .setString(Tag.PATIENT_NAME, VR.PN, patientName)
                .setString(Tag.PATIENT_ID, VR.LO, "P1")
                .setString(Tag.PATIENT_SEX, VR.CS, sex)
                .setString(Tag.STUDY_DESCRIPTION, VR.LO, description)
                .setString(Tag.REFERRING_PHYSICIAN_NAME, VR.PN, referrer);
    }

    /**
     * Ignores PatientName and StudyDescription, matches person names regardless of case: the study of SMITH^JOHN (HEAD)
     * comes back for DOE^JANE's chest studies, and two studies whose referring physician differs from the key by case.
     */
    static TestPacs ignoringPacs() throws Exception {
        return new TestPacs(Set.copyOf(SopClasses.QUERY_FIND), true)
                .ignoring("PatientName", "StudyDescription")
                .caseInsensitivePersonNames()
                .add(QueryLevel.STUDY, study("1.2.3.1", "DOE^JANE", "F", "CHEST", "WHO^DOCTOR"))
                .add(QueryLevel.STUDY, study("1.2.3.2", "SMITH^JOHN", "F", "HEAD", "who^doctor"))
                .add(QueryLevel.STUDY, study("1.2.3.3", "DOE^JANE", "F", "CHEST", "Who^Doctor"))
                .add(QueryLevel.STUDY, study("1.2.3.4", "DOE^JANE", "M", "CHEST", "WHO^DOCTOR"));
    }

    static Attributes chestStudiesOfJaneDoe() {
        return new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.PATIENT_NAME, VR.PN, "DOE^JANE")
                .setString(Tag.PATIENT_SEX, VR.CS, "F")
                .setString(Tag.STUDY_DESCRIPTION, VR.LO, "CHEST")
                .setString(Tag.REFERRING_PHYSICIAN_NAME, VR.PN, "WHO^DOCTOR")
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);
    }

    static List<String> uids(List<SourceResult> results) {
        return matches(results).stream()
                .map(a -> a.getString(Tag.STUDY_INSTANCE_UID))
                .toList();
    }

    List<KeyObservation> observations(long sourceId) {
        recorder.drained().join();
        return new KeyObservationRows(jdbc).of(sourceId);
    }

    List<String> metricLines(String name, long sourceId) {
        return prometheus
                .scrape()
                .lines()
                .filter(l -> l.startsWith(name + "{") && l.contains("source=\"" + sourceId + "\""))
                .toList();
    }

    @Test
    void anAnswerWithRecordsThatDisproveAKeyRecordsThatTheSourceDoesNotMatchOnIt() throws Exception {
        long sourceId = newSourceId();
        try (TestPacs pacs = ignoringPacs()) {
            TestDatabase.insertSource(sourceId, "TESTPACS", pacs.port(), true);
            try {
                Instant before = Instant.now();

                List<SourceResult> results =
                        successfulRun(studyRoot(sourceId, pacs.port()), QueryLevel.STUDY, chestStudiesOfJaneDoe());

                Instant after = Instant.now();
                // the worker's own re-check (case-sensitive) relays the one study that matches every key
                assertThat(uids(results)).containsExactly("1.2.3.1");
                List<KeyObservation> observed = observations(sourceId);
                // one row: PatientName is never learned, PatientSex matched, the referrer differs by case only
                assertThat(observed).hasSize(1);
                KeyObservation o = observed.get(0);
                assertThat(o)
                        .isEqualTo(new KeyObservation(
                                sourceId,
                                "StudyDescription",
                                false,
                                true,
                                KeyObservation.Origin.LEARNED,
                                o.observedAt(),
                                "1 of 3 records of one answer do not match the key"));
                assertThat(o.observedAt()).isBetween(before.minusMillis(1), after.plusMillis(1));
                assertThat(metricLines("spanner_worker_key_observations_total", sourceId))
                        .containsExactly(
                                "spanner_worker_key_observations_total{evidence=\"disproved\",key=\"StudyDescription\","
                                        + "source=\"" + sourceId + "\"} 1.0");
                assertThat(metricLines("spanner_worker_key_observation_failures_total", sourceId))
                        .isEmpty();
            } finally {
                TestDatabase.update("delete from dicom_source where id = ?", sourceId);
            }
        }
    }

    @Test
    void aKeyTheSourceIsKnownToIgnoreIsVerifiedNotLearnedAgain() throws Exception {
        long sourceId = newSourceId();
        try (TestPacs pacs = ignoringPacs()) {
            TestDatabase.insertSource(sourceId, "TESTPACS", pacs.port(), true);
            try {
                SourceEndpoint source = ignoring(studyRoot(sourceId, pacs.port()), "StudyDescription");

                List<SourceResult> results = successfulRun(source, QueryLevel.STUDY, chestStudiesOfJaneDoe());

                assertThat(uids(results)).containsExactly("1.2.3.1");
                assertThat(observations(sourceId)).isEmpty();
            } finally {
                TestDatabase.update("delete from dicom_source where id = ?", sourceId);
            }
        }
    }

    @Test
    void aKeyWhoseValueNeverComesBackIsRecordedOnceTwentyRecordsCameWithoutIt() throws Exception {
        long sourceId = newSourceId();
        TestPacs pacs = new TestPacs(Set.copyOf(SopClasses.QUERY_FIND), true).withholding("StudyID");
        for (int i = 1; i <= 20; i++) {
            pacs.add(
                    QueryLevel.STUDY,
                    new Attributes()
                            .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.5." + i)
                            .setString(Tag.PATIENT_ID, VR.LO, i <= 19 ? "P19" : "P1")
                            .setString(Tag.STUDY_ID, VR.SH, "S" + i));
        }
        try (pacs) {
            TestDatabase.insertSource(sourceId, "TESTPACS", pacs.port(), true);
            try {
                SourceEndpoint source = studyRoot(sourceId, pacs.port());

                List<SourceResult> nineteen = successfulRun(source, QueryLevel.STUDY, byPatientAndStudyId("P19"));

                assertThat(matches(nineteen)).hasSize(19).noneMatch(a -> a.contains(Tag.STUDY_ID));
                assertThat(observations(sourceId))
                        .as("19 records without a value")
                        .isEmpty();

                List<SourceResult> one = successfulRun(source, QueryLevel.STUDY, byPatientAndStudyId("P1"));

                assertThat(uids(one)).containsExactly("1.2.5.20");
                List<KeyObservation> observed = observations(sourceId);
                assertThat(observed).hasSize(1);
                KeyObservation o = observed.get(0);
                assertThat(o)
                        .isEqualTo(new KeyObservation(
                                sourceId,
                                "StudyID",
                                null,
                                false,
                                KeyObservation.Origin.LEARNED,
                                o.observedAt(),
                                "20 records in 2 answers came back without a value"));
                assertThat(metricLines("spanner_worker_key_observations_total", sourceId))
                        .containsExactly(
                                "spanner_worker_key_observations_total{evidence=\"not_returned\",key=\"StudyID\","
                                        + "source=\"" + sourceId + "\"} 1.0");
            } finally {
                TestDatabase.update("delete from dicom_source where id = ?", sourceId);
            }
        }
    }

    static Attributes byPatientAndStudyId(String patientId) {
        return new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.PATIENT_ID, VR.LO, patientId)
                .setString(Tag.STUDY_ID, VR.SH, "S1")
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);
    }

    @Test
    void anObservationTheDatabaseRefusesIsCountedAndTheTaskStillSucceeds() throws Exception {
        long sourceId = newSourceId();
        String trigger = "refuse_observation_" + sourceId;
        try (TestPacs pacs = ignoringPacs()) {
            TestDatabase.insertSource(sourceId, "TESTPACS", pacs.port(), true);
            TestDatabase.update("""
                    create or replace function refuse_observation() returns trigger language plpgsql as
                    $$ begin raise exception 'observations refused'; end $$
                    """);
            TestDatabase.update("create trigger " + trigger
                    + " before insert on source_key_observation for each row when (new.source_id = " + sourceId
                    + ") execute function refuse_observation()");
            try {
                List<SourceResult> results =
                        successfulRun(studyRoot(sourceId, pacs.port()), QueryLevel.STUDY, chestStudiesOfJaneDoe());

                assertThat(uids(results)).containsExactly("1.2.3.1");
                assertThat(observations(sourceId)).isEmpty();
                assertThat(metricLines("spanner_worker_key_observation_failures_total", sourceId))
                        .containsExactly(
                                "spanner_worker_key_observation_failures_total{source=\"" + sourceId + "\"} 1.0");
                assertThat(metricLines("spanner_worker_key_observations_total", sourceId))
                        .isEmpty();
            } finally {
                TestDatabase.update("drop trigger " + trigger + " on source_key_observation");
                TestDatabase.update("delete from dicom_source where id = ?", sourceId);
            }
        }
    }
}
