package io.dicomspanner.worker.adapt;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SourceResult;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.worker.testing.TestPacs;
import io.dicomspanner.worker.testing.WorkerTestSupport;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Queries a PACS cannot take as asked reach it in a form it takes, and the answer is what was asked. */
class QueryAdaptationTest extends WorkerTestSupport {

    TestPacs pacs;

    @AfterEach
    void stopPacs() {
        if (pacs != null) {
            pacs.close();
        }
    }

    static Attributes patient(String id, String name) {
        return new Attributes().setString(Tag.PATIENT_ID, VR.LO, id).setString(Tag.PATIENT_NAME, VR.PN, name);
    }

    static Attributes study(String patientId, String patientName, String studyUid, String... modalities) {
        Attributes a = patient(patientId, patientName).setString(Tag.STUDY_INSTANCE_UID, VR.UI, studyUid);
        if (modalities.length > 0) {
            a.setString(Tag.MODALITIES_IN_STUDY, VR.CS, modalities);
        }
        return a;
    }

    static Attributes series(String patientId, String studyUid, String seriesUid, String modality) {
        return new Attributes()
                .setString(Tag.PATIENT_ID, VR.LO, patientId)
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, studyUid)
                .setString(Tag.SERIES_INSTANCE_UID, VR.UI, seriesUid)
                .setString(Tag.MODALITY, VR.CS, modality);
    }

    static Attributes level(String level) {
        return new Attributes().setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, level);
    }

    @Test
    void aPatientRootOnlySourceIsAskedPatientFirstWhenThePatientIdIsNotGiven() throws Exception {
        pacs = new TestPacs(Set.of(SopClasses.PATIENT_ROOT_QUERY_FIND), false);
        pacs.add(QueryLevel.PATIENT, patient("P1", "DOE^JANE"))
                .add(QueryLevel.PATIENT, patient("P2", "ROE^RICHARD"))
                .add(QueryLevel.STUDY, study("P1", "DOE^JANE", "1.2.3.1"))
                .add(QueryLevel.STUDY, study("P1", "DOE^JANE", "1.2.3.2"))
                .add(QueryLevel.STUDY, study("P2", "ROE^RICHARD", "1.2.4.1"));
        Attributes query =
                level("STUDY").setString(Tag.PATIENT_NAME, VR.PN, "DOE^*").setNull(Tag.STUDY_INSTANCE_UID, VR.UI);
        publish(task(
                endpoint(newSourceId(), pacs.port(), List.of(InformationModel.PATIENT_ROOT), false),
                QueryLevel.STUDY,
                query,
                inSeconds(30),
                0));

        List<SourceResult> results = resultsUntilFinal();

        assertThat(results.get(results.size() - 1).outcome()).isEqualTo(SourceOutcome.SUCCESS);
        assertThat(pacs.requestSopClasses()).containsOnly(SopClasses.PATIENT_ROOT_QUERY_FIND);
        assertThat(pacs.requests())
                .containsExactly(
                        level("PATIENT")
                                .setString(Tag.PATIENT_NAME, VR.PN, "DOE^*")
                                .setNull(Tag.PATIENT_ID, VR.LO),
                        level("STUDY").setString(Tag.PATIENT_ID, VR.LO, "P1").setNull(Tag.STUDY_INSTANCE_UID, VR.UI));
        assertThat(matches(results))
                .containsExactly(
                        level("STUDY")
                                .setString(Tag.PATIENT_ID, VR.LO, "P1")
                                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.3.1")
                                .setString(Tag.PATIENT_NAME, VR.PN, "DOE^JANE"),
                        level("STUDY")
                                .setString(Tag.PATIENT_ID, VR.LO, "P1")
                                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.3.2")
                                .setString(Tag.PATIENT_NAME, VR.PN, "DOE^JANE"));
    }

    @Test
    void withoutRelationalQueriesASeriesQueryGoesStudyFirstThenPerStudyWithUpperKeysFilteredLocally() throws Exception {
        pacs = new TestPacs(Set.of(SopClasses.STUDY_ROOT_QUERY_FIND), false);
        pacs.add(QueryLevel.STUDY, study("P1", "DOE^JANE", "1.2.3.1"))
                .add(QueryLevel.STUDY, study("P1", "DOE^JANE", "1.2.3.2"))
                .add(QueryLevel.STUDY, study("P2", "ROE^RICHARD", "1.2.4.1"))
                .add(QueryLevel.SERIES, series("P1", "1.2.3.1", "1.2.3.1.1", "CT"))
                .add(QueryLevel.SERIES, series("P1", "1.2.3.1", "1.2.3.1.2", "MR"))
                .add(QueryLevel.SERIES, series("P1", "1.2.3.2", "1.2.3.2.1", "CT"))
                .add(QueryLevel.SERIES, series("P2", "1.2.4.1", "1.2.4.1.1", "CT"));
        Attributes query = level("SERIES")
                .setString(Tag.PATIENT_NAME, VR.PN, "DOE^JANE")
                .setString(Tag.MODALITY, VR.CS, "CT")
                .setNull(Tag.SERIES_INSTANCE_UID, VR.UI);
        publish(task(
                endpoint(newSourceId(), pacs.port(), List.of(InformationModel.STUDY_ROOT), false),
                QueryLevel.SERIES,
                query,
                inSeconds(30),
                0));

        List<SourceResult> results = resultsUntilFinal();

        assertThat(results.get(results.size() - 1).outcome()).isEqualTo(SourceOutcome.SUCCESS);
        assertThat(pacs.requests())
                .containsExactlyInAnyOrder(
                        level("STUDY")
                                .setString(Tag.PATIENT_NAME, VR.PN, "DOE^JANE")
                                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI),
                        level("SERIES")
                                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.3.1")
                                .setString(Tag.MODALITY, VR.CS, "CT")
                                .setNull(Tag.SERIES_INSTANCE_UID, VR.UI),
                        level("SERIES")
                                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.3.2")
                                .setString(Tag.MODALITY, VR.CS, "CT")
                                .setNull(Tag.SERIES_INSTANCE_UID, VR.UI));
        assertThat(pacs.requests().get(0).getString(Tag.QUERY_RETRIEVE_LEVEL)).isEqualTo("STUDY");
        assertThat(matches(results))
                .containsExactly(
                        level("SERIES")
                                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.3.1")
                                .setString(Tag.MODALITY, VR.CS, "CT")
                                .setString(Tag.SERIES_INSTANCE_UID, VR.UI, "1.2.3.1.1")
                                .setString(Tag.PATIENT_NAME, VR.PN, "DOE^JANE"),
                        level("SERIES")
                                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.3.2")
                                .setString(Tag.MODALITY, VR.CS, "CT")
                                .setString(Tag.SERIES_INSTANCE_UID, VR.UI, "1.2.3.2.1")
                                .setString(Tag.PATIENT_NAME, VR.PN, "DOE^JANE"));
    }

    @Test
    void aMultiValuedModalitiesInStudyIsOneCFindPerValueAndTheUnionWithoutRepeats() throws Exception {
        pacs = new TestPacs(Set.copyOf(SopClasses.QUERY_FIND), true);
        pacs.add(QueryLevel.STUDY, study("P1", "A", "1.1", "CT"))
                .add(QueryLevel.STUDY, study("P2", "B", "1.2", "MR"))
                .add(QueryLevel.STUDY, study("P3", "C", "1.3", "CT", "MR"))
                .add(QueryLevel.STUDY, study("P4", "D", "1.4", "US"));
        Attributes query = level("STUDY")
                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT", "MR")
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);
        publish(task(studyRoot(newSourceId(), pacs.port()), QueryLevel.STUDY, query, inSeconds(30), 0));

        List<SourceResult> results = resultsUntilFinal();

        assertThat(results.get(results.size() - 1).outcome()).isEqualTo(SourceOutcome.SUCCESS);
        assertThat(pacs.requests())
                .containsExactlyInAnyOrder(
                        level("STUDY")
                                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT")
                                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI),
                        level("STUDY")
                                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "MR")
                                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI));
        assertThat(matches(results))
                .containsExactly(
                        level("STUDY")
                                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT")
                                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.1"),
                        level("STUDY")
                                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT", "MR")
                                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.3"),
                        level("STUDY")
                                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "MR")
                                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2"));
    }

    @Test
    void withoutCombinedDateTimeMatchingADateRangeIsSentAloneAndTheTimeRangeFilteredLocally() throws Exception {
        pacs = new TestPacs(Set.copyOf(SopClasses.QUERY_FIND), true);
        pacs.add(
                        QueryLevel.STUDY,
                        study("P1", "A", "1.1")
                                .setString(Tag.STUDY_DATE, VR.DA, "20240101")
                                .setString(Tag.STUDY_TIME, VR.TM, "090000"))
                .add(
                        QueryLevel.STUDY,
                        study("P1", "A", "1.2")
                                .setString(Tag.STUDY_DATE, VR.DA, "20240101")
                                .setString(Tag.STUDY_TIME, VR.TM, "230000"))
                .add(
                        QueryLevel.STUDY,
                        study("P1", "A", "1.3")
                                .setString(Tag.STUDY_DATE, VR.DA, "20240102")
                                .setString(Tag.STUDY_TIME, VR.TM, "010000"))
                .add(
                        QueryLevel.STUDY,
                        study("P1", "A", "1.4")
                                .setString(Tag.STUDY_DATE, VR.DA, "20240102")
                                .setString(Tag.STUDY_TIME, VR.TM, "120000"));
        // from 2024-01-01 22:00 to 2024-01-02 02:00, one range across midnight
        Attributes query = level("STUDY")
                .setString(Tag.STUDY_DATE, VR.DA, "20240101-20240102")
                .setString(Tag.STUDY_TIME, VR.TM, "2200-0200")
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);
        publish(task(studyRoot(newSourceId(), pacs.port()), QueryLevel.STUDY, query, inSeconds(30), 0));

        List<SourceResult> results = resultsUntilFinal();

        assertThat(results.get(results.size() - 1).outcome()).isEqualTo(SourceOutcome.SUCCESS);
        assertThat(pacs.requests())
                .containsExactly(level("STUDY")
                        .setString(Tag.STUDY_DATE, VR.DA, "20240101-20240102")
                        .setNull(Tag.STUDY_TIME, VR.TM)
                        .setNull(Tag.STUDY_INSTANCE_UID, VR.UI));
        assertThat(matches(results))
                .extracting(m -> m.getString(Tag.STUDY_INSTANCE_UID))
                .containsExactly("1.2", "1.3");
    }
}
