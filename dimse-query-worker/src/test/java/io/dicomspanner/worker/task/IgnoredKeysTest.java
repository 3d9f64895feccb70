package io.dicomspanner.worker.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceResult;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.worker.testing.TestPacs;
import io.dicomspanner.worker.testing.WorkerTestSupport;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A source declared to ignore a matching key is sent that key as an empty return key; the worker verifies the key on
 * what comes back (locally, or through the studies' series for ModalitiesInStudy, per study or, from a relational
 * source, per requested modality, within {@code verification-max-subqueries}, 8 in these tests) and names the keys it
 * could not verify.
 */
class IgnoredKeysTest extends WorkerTestSupport {

    TestPacs pacs;

    @Autowired
    PrometheusMeterRegistry prometheus;

    @BeforeEach
    void startPacs() throws Exception {
        pacs = new TestPacs(Set.copyOf(SopClasses.QUERY_FIND), true);
    }

    @AfterEach
    void stopPacs() {
        pacs.close();
    }

    static Attributes level(String level) {
        return new Attributes().setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, level);
    }

    static Attributes study(String uid) {
        return new Attributes().setString(Tag.STUDY_INSTANCE_UID, VR.UI, uid);
    }

    static Attributes series(String studyUid, String seriesUid, String modality) {
        return study(studyUid)
                .setString(Tag.SERIES_INSTANCE_UID, VR.UI, seriesUid)
                .setString(Tag.MODALITY, VR.CS, modality);
    }

    List<SourceResult> run(SourceEndpoint source, Attributes query) {
        return successfulRun(source, QueryLevel.STUDY, query);
    }

    List<String> metricLines(SourceEndpoint source) {
        String s = "source=\"" + source.sourceId() + "\"";
        return prometheus
                .scrape()
                .lines()
                .filter(l -> l.startsWith("spanner_worker_verification_") && l.contains(s))
                .toList();
    }

    /** A Study Root source without relational queries: it can only be asked each study's series. */
    SourceEndpoint hierarchical(int port) {
        return endpoint(
                newSourceId(), port, List.of(InformationModel.STUDY_ROOT, InformationModel.PATIENT_ROOT), false);
    }

    static Attributes patientStudy(String patientId, String uid) {
        return study(uid).setString(Tag.PATIENT_ID, VR.LO, patientId);
    }

    static Attributes patientSeries(String patientId, String studyUid, String seriesUid, String modality) {
        return series(studyUid, seriesUid, modality).setString(Tag.PATIENT_ID, VR.LO, patientId);
    }

    @Test
    void pastTheBoundTheFurtherStudiesAreKeptUnverifiedAndModalitiesInStudyIsReported() {
        List<Attributes> expectedSeriesRequests = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            String uid = "1.2.840." + i;
            pacs.add(QueryLevel.STUDY, study(uid))
                    .add(QueryLevel.SERIES, series(uid, uid + ".1", i % 2 == 1 ? "CT" : "MR"));
            if (i <= 8) {
                expectedSeriesRequests.add(level("SERIES")
                        .setString(Tag.STUDY_INSTANCE_UID, VR.UI, uid)
                        .setNull(Tag.SERIES_INSTANCE_UID, VR.UI)
                        .setNull(Tag.MODALITY, VR.CS));
            }
        }
        SourceEndpoint source = ignoring(hierarchical(pacs.port()), "ModalitiesInStudy");
        Attributes query =
                level("STUDY").setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT").setNull(Tag.STUDY_INSTANCE_UID, VR.UI);

        List<SourceResult> results = run(source, query);

        assertThat(pacs.requests().get(0))
                .isEqualTo(
                        level("STUDY").setNull(Tag.MODALITIES_IN_STUDY, VR.CS).setNull(Tag.STUDY_INSTANCE_UID, VR.UI));
        assertThat(pacs.requests().subList(1, pacs.requests().size()))
                .containsExactlyInAnyOrderElementsOf(expectedSeriesRequests);
        assertThat(matches(results))
                .containsExactly(
                        level("STUDY")
                                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT")
                                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.840.1"),
                        level("STUDY")
                                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT")
                                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.840.3"),
                        level("STUDY")
                                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT")
                                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.840.5"),
                        level("STUDY")
                                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT")
                                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.840.7"),
                        level("STUDY").setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.840.9"),
                        level("STUDY").setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.840.10"));
        assertThat(last(results).unverifiedKeys()).containsExactly("ModalitiesInStudy");
        assertThat(last(results).verificationBound())
                .as("the answer says the bound was hit")
                .isEqualTo(8);
        assertThat(metricLines(source))
                .containsExactlyInAnyOrder(
                        "spanner_worker_verification_subqueries_total{source=\"" + source.sourceId() + "\"} 8.0",
                        "spanner_worker_verification_dropped_total{source=\"" + source.sourceId() + "\"} 4.0",
                        "spanner_worker_verification_unverified_keys_total{key=\"ModalitiesInStudy\",source=\""
                                + source.sourceId() + "\"} 1.0");
    }

    @Test
    void aRelationalSourceIsAskedOnceForTheOneRequestedModalityAndEveryStudyIsVerifiedEvenPastTheBound() {
        for (int i = 1; i <= 10; i++) {
            String uid = "1.2.840." + i;
            pacs.add(QueryLevel.STUDY, study(uid))
                    .add(QueryLevel.SERIES, series(uid, uid + ".1", i % 2 == 1 ? "CT" : "MR"));
        }
        SourceEndpoint source = ignoring(studyRoot(newSourceId(), pacs.port()), "ModalitiesInStudy");
        Attributes query =
                level("STUDY").setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT").setNull(Tag.STUDY_INSTANCE_UID, VR.UI);

        List<SourceResult> results = run(source, query);

        assertThat(pacs.requests())
                .containsExactly(
                        level("STUDY").setNull(Tag.MODALITIES_IN_STUDY, VR.CS).setNull(Tag.STUDY_INSTANCE_UID, VR.UI),
                        level("SERIES")
                                .setString(Tag.MODALITY, VR.CS, "CT")
                                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI)
                                .setNull(Tag.SERIES_INSTANCE_UID, VR.UI));
        List<Attributes> expected = new ArrayList<>();
        for (int i = 1; i <= 10; i += 2) {
            expected.add(level("STUDY")
                    .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT")
                    .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.840." + i));
        }
        assertThat(matches(results)).containsExactlyElementsOf(expected);
        assertThat(last(results).unverifiedKeys()).isEmpty();
        assertThat(metricLines(source))
                .containsExactlyInAnyOrder(
                        "spanner_worker_verification_subqueries_total{source=\"" + source.sourceId() + "\"} 1.0",
                        "spanner_worker_verification_dropped_total{source=\"" + source.sourceId() + "\"} 5.0");
    }

    @Test
    void perModalityTheSeriesQueriesCarryTheQuerysPatientKeyAndModalitiesInStudyListsOnlyTheRequestedModalities() {
        pacs.add(QueryLevel.STUDY, patientStudy("P1", "1.1"))
                .add(QueryLevel.SERIES, patientSeries("P1", "1.1", "1.1.1", "CT"))
                .add(QueryLevel.SERIES, patientSeries("P1", "1.1", "1.1.2", "SR"))
                .add(QueryLevel.STUDY, patientStudy("P1", "1.2"))
                .add(QueryLevel.SERIES, patientSeries("P1", "1.2", "1.2.1", "MR"))
                .add(QueryLevel.STUDY, patientStudy("P1", "1.3"))
                .add(QueryLevel.SERIES, patientSeries("P1", "1.3", "1.3.1", "US"))
                .add(QueryLevel.STUDY, patientStudy("P1", "1.4"))
                .add(QueryLevel.SERIES, patientSeries("P1", "1.4", "1.4.1", "MR"))
                .add(QueryLevel.SERIES, patientSeries("P1", "1.4", "1.4.2", "CT"))
                .add(QueryLevel.SERIES, patientSeries("P1", "1.4", "1.4.3", "PR"))
                .add(QueryLevel.STUDY, patientStudy("P2", "2.1"))
                .add(QueryLevel.SERIES, patientSeries("P2", "2.1", "2.1.1", "CT"));
        SourceEndpoint source = ignoring(studyRoot(newSourceId(), pacs.port()), "ModalitiesInStudy");
        Attributes query = level("STUDY")
                .setString(Tag.PATIENT_ID, VR.LO, "P1")
                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT", "MR")
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);

        List<SourceResult> results = run(source, query);

        assertThat(pacs.requests().get(0))
                .isEqualTo(level("STUDY")
                        .setString(Tag.PATIENT_ID, VR.LO, "P1")
                        .setNull(Tag.MODALITIES_IN_STUDY, VR.CS)
                        .setNull(Tag.STUDY_INSTANCE_UID, VR.UI));
        assertThat(pacs.requests().subList(1, pacs.requests().size()))
                .containsExactlyInAnyOrder(
                        level("SERIES")
                                .setString(Tag.PATIENT_ID, VR.LO, "P1")
                                .setString(Tag.MODALITY, VR.CS, "CT")
                                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI)
                                .setNull(Tag.SERIES_INSTANCE_UID, VR.UI),
                        level("SERIES")
                                .setString(Tag.PATIENT_ID, VR.LO, "P1")
                                .setString(Tag.MODALITY, VR.CS, "MR")
                                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI)
                                .setNull(Tag.SERIES_INSTANCE_UID, VR.UI));
        assertThat(matches(results))
                .containsExactly(
                        level("STUDY")
                                .setString(Tag.PATIENT_ID, VR.LO, "P1")
                                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT")
                                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.1"),
                        level("STUDY")
                                .setString(Tag.PATIENT_ID, VR.LO, "P1")
                                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "MR")
                                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2"),
                        level("STUDY")
                                .setString(Tag.PATIENT_ID, VR.LO, "P1")
                                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT", "MR")
                                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.4"));
        assertThat(last(results).unverifiedKeys()).isEmpty();
        assertThat(metricLines(source))
                .containsExactlyInAnyOrder(
                        "spanner_worker_verification_subqueries_total{source=\"" + source.sourceId() + "\"} 2.0",
                        "spanner_worker_verification_dropped_total{source=\"" + source.sourceId() + "\"} 1.0");
    }

    @Test
    void withMoreRequestedModalitiesThanStudiesARelationalSourceIsAskedEachStudysSeries() {
        pacs.add(QueryLevel.STUDY, study("1.1"))
                .add(QueryLevel.SERIES, series("1.1", "1.1.1", "MR"))
                .add(QueryLevel.SERIES, series("1.1", "1.1.2", "SR"));
        SourceEndpoint source = ignoring(studyRoot(newSourceId(), pacs.port()), "ModalitiesInStudy");
        Attributes query = level("STUDY")
                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT", "MR")
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);

        List<SourceResult> results = run(source, query);

        assertThat(pacs.requests())
                .containsExactly(
                        level("STUDY").setNull(Tag.MODALITIES_IN_STUDY, VR.CS).setNull(Tag.STUDY_INSTANCE_UID, VR.UI),
                        level("SERIES")
                                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.1")
                                .setNull(Tag.SERIES_INSTANCE_UID, VR.UI)
                                .setNull(Tag.MODALITY, VR.CS));
        // asked per study, ModalitiesInStudy lists every modality of the study
        assertThat(matches(results))
                .containsExactly(level("STUDY")
                        .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "MR", "SR")
                        .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.1"));
        assertThat(metricLines(source))
                .containsExactly(
                        "spanner_worker_verification_subqueries_total{source=\"" + source.sourceId() + "\"} 1.0");
    }

    @Test
    void aHierarchicalPatientRootSourceIsAskedEachStudysSeriesUnderItsPatient() throws Exception {
        try (TestPacs patientRoot = new TestPacs(Set.of(SopClasses.PATIENT_ROOT_QUERY_FIND), false)) {
            Attributes p1 = new Attributes().setString(Tag.PATIENT_ID, VR.LO, "P1");
            patientRoot
                    .add(QueryLevel.PATIENT, p1)
                    .add(QueryLevel.STUDY, Attributes.copyOf(p1).addAll(study("1.1")))
                    .add(QueryLevel.STUDY, Attributes.copyOf(p1).addAll(study("1.2")))
                    .add(QueryLevel.SERIES, Attributes.copyOf(p1).addAll(series("1.1", "1.1.1", "MR")))
                    .add(QueryLevel.SERIES, Attributes.copyOf(p1).addAll(series("1.2", "1.2.1", "CT")));
            SourceEndpoint source = ignoring(
                    endpoint(newSourceId(), patientRoot.port(), List.of(InformationModel.PATIENT_ROOT), false),
                    "ModalitiesInStudy");
            Attributes query = level("STUDY")
                    .setString(Tag.PATIENT_ID, VR.LO, "P1")
                    .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT")
                    .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);

            List<SourceResult> results = successfulRun(source, QueryLevel.STUDY, query);

            assertThat(patientRoot.requests())
                    .containsExactlyInAnyOrder(
                            level("STUDY")
                                    .setString(Tag.PATIENT_ID, VR.LO, "P1")
                                    .setNull(Tag.MODALITIES_IN_STUDY, VR.CS)
                                    .setNull(Tag.STUDY_INSTANCE_UID, VR.UI),
                            level("SERIES")
                                    .setString(Tag.PATIENT_ID, VR.LO, "P1")
                                    .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.1")
                                    .setNull(Tag.MODALITY, VR.CS)
                                    .setNull(Tag.SERIES_INSTANCE_UID, VR.UI),
                            level("SERIES")
                                    .setString(Tag.PATIENT_ID, VR.LO, "P1")
                                    .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2")
                                    .setNull(Tag.MODALITY, VR.CS)
                                    .setNull(Tag.SERIES_INSTANCE_UID, VR.UI));
            assertThat(matches(results))
                    .containsExactly(level("STUDY")
                            .setString(Tag.PATIENT_ID, VR.LO, "P1")
                            .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT")
                            .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2"));
            assertThat(last(results).unverifiedKeys()).isEmpty();
        }
    }

    @Test
    void modalitiesInStudyTheSourceReturnsIsCheckedLocallyWithoutSeriesQueries() {
        pacs.add(QueryLevel.STUDY, study("1.1").setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT", "PT"))
                .add(QueryLevel.STUDY, study("1.2").setString(Tag.MODALITIES_IN_STUDY, VR.CS, "MR"));
        SourceEndpoint source = ignoring(studyRoot(newSourceId(), pacs.port()), "ModalitiesInStudy");
        Attributes query =
                level("STUDY").setString(Tag.MODALITIES_IN_STUDY, VR.CS, "C?").setNull(Tag.STUDY_INSTANCE_UID, VR.UI);

        List<SourceResult> results = run(source, query);

        assertThat(pacs.requests())
                .containsExactly(
                        level("STUDY").setNull(Tag.MODALITIES_IN_STUDY, VR.CS).setNull(Tag.STUDY_INSTANCE_UID, VR.UI));
        assertThat(matches(results))
                .containsExactly(level("STUDY")
                        .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT", "PT")
                        .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.1"));
        assertThat(last(results).unverifiedKeys()).isEmpty();
    }

    @Test
    void aKeyTheSourceReturnsIsCheckedLocallyAndARecordWithoutItIsKeptAndTheKeyReported() {
        pacs.add(QueryLevel.STUDY, study("1.1").setString(Tag.STUDY_DESCRIPTION, VR.LO, "CT HEAD"))
                .add(QueryLevel.STUDY, study("1.2").setString(Tag.STUDY_DESCRIPTION, VR.LO, "MR KNEE"))
                .add(QueryLevel.STUDY, study("1.3"));
        SourceEndpoint source = ignoring(studyRoot(newSourceId(), pacs.port()), "StudyDescription");
        Attributes query =
                level("STUDY").setString(Tag.STUDY_DESCRIPTION, VR.LO, "CT*").setNull(Tag.STUDY_INSTANCE_UID, VR.UI);

        List<SourceResult> results = run(source, query);

        assertThat(pacs.requests())
                .containsExactly(
                        level("STUDY").setNull(Tag.STUDY_DESCRIPTION, VR.LO).setNull(Tag.STUDY_INSTANCE_UID, VR.UI));
        assertThat(matches(results))
                .extracting(m -> m.getString(Tag.STUDY_INSTANCE_UID), m -> m.getString(Tag.STUDY_DESCRIPTION))
                .containsExactly(tuple("1.1", "CT HEAD"), tuple("1.3", null));
        assertThat(last(results).unverifiedKeys()).containsExactly("StudyDescription");
        assertThat(metricLines(source))
                .containsExactlyInAnyOrder(
                        "spanner_worker_verification_dropped_total{source=\"" + source.sourceId() + "\"} 1.0",
                        "spanner_worker_verification_unverified_keys_total{key=\"StudyDescription\",source=\""
                                + source.sourceId() + "\"} 1.0");
    }

    @Test
    void aKeyEveryRecordCarriesIsVerifiedLocallyAndNothingIsReported() {
        pacs.add(QueryLevel.STUDY, study("1.1").setString(Tag.STUDY_DESCRIPTION, VR.LO, "CT HEAD"))
                .add(QueryLevel.STUDY, study("1.2").setString(Tag.STUDY_DESCRIPTION, VR.LO, "MR KNEE"));
        SourceEndpoint source = ignoring(studyRoot(newSourceId(), pacs.port()), "StudyDescription");
        Attributes query =
                level("STUDY").setString(Tag.STUDY_DESCRIPTION, VR.LO, "MR*").setNull(Tag.STUDY_INSTANCE_UID, VR.UI);

        List<SourceResult> results = run(source, query);

        assertThat(matches(results))
                .containsExactly(level("STUDY")
                        .setString(Tag.STUDY_DESCRIPTION, VR.LO, "MR KNEE")
                        .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2"));
        assertThat(last(results).unverifiedKeys()).isEmpty();
    }
}
