package io.dicomspanner.worker.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.DicomClient;
import io.dicomspanner.dicom.net.DicomPeer;
import io.dicomspanner.dicom.net.DicomSettings;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.net.pool.AssociationPool;
import io.dicomspanner.dicom.net.service.CFindScu;
import io.dicomspanner.dicom.net.service.FindOutcome;
import io.dicomspanner.dicom.net.service.FindQuery;
import io.dicomspanner.dicom.net.service.QueryOptions;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.worker.testing.TestPacs;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The C-FINDs for one identifier against a PACS that, without relational queries, refuses (A900) any request lacking
 * the unique keys of the levels above its own, as a baseline hierarchical PACS does.
 */
class HierarchicalFindTest {
    static DicomClient client;
    static AssociationPool pool;

    TestPacs pacs;
    final List<Attributes> relayed = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void startClient() {
        client = new DicomClient(DicomSettings.defaults());
        pool = new AssociationPool(client);
    }

    @AfterAll
    static void stopClient() {
        pool.close();
        client.close();
    }

    @AfterEach
    void stopPacs() {
        pacs.close();
    }

    /** C-FINDs at {@link #pacs}, one at a time. */
    HierarchicalFind find(InformationModel model, boolean relational) {
        DicomPeer peer = new DicomPeer("127.0.0.1", pacs.port(), "TESTPACS", "SPANNER", false);
        return new HierarchicalFind(
                model,
                relational,
                new FindFanOut(1),
                (sopClassUid, keysFor, onMatch) -> pool.withAssociation(
                        peer,
                        association -> CFindScu.find(
                                        association,
                                        FindQuery.of(
                                                sopClassUid,
                                                keysFor.apply(QueryOptions.negotiated(association, sopClassUid))),
                                        (operation, match) -> onMatch.accept(match))
                                .completion()));
    }

    static Attributes level(String level) {
        return new Attributes().setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, level);
    }

    static Attributes patient(String id, String name) {
        return new Attributes().setString(Tag.PATIENT_ID, VR.LO, id).setString(Tag.PATIENT_NAME, VR.PN, name);
    }

    static Attributes study(String patientId, String studyUid) {
        return new Attributes()
                .setString(Tag.PATIENT_ID, VR.LO, patientId)
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, studyUid);
    }

    static Attributes series(String patientId, String studyUid, String seriesUid, String modality) {
        return study(patientId, studyUid)
                .setString(Tag.SERIES_INSTANCE_UID, VR.UI, seriesUid)
                .setString(Tag.MODALITY, VR.CS, modality);
    }

    void holdTwoPatients() {
        pacs.add(QueryLevel.PATIENT, patient("P1", "DOE^JANE"))
                .add(QueryLevel.PATIENT, patient("P2", "ROE^RICHARD"))
                .add(QueryLevel.STUDY, study("P1", "1.2.3.1"))
                .add(QueryLevel.STUDY, study("P1", "1.2.3.2"))
                .add(QueryLevel.STUDY, study("P2", "1.2.4.1"))
                .add(QueryLevel.SERIES, series("P1", "1.2.3.1", "1.2.3.1.1", "CT"))
                .add(QueryLevel.SERIES, series("P1", "1.2.3.1", "1.2.3.1.2", "MR"))
                .add(QueryLevel.SERIES, series("P1", "1.2.3.2", "1.2.3.2.1", "CT"))
                .add(QueryLevel.SERIES, series("P2", "1.2.4.1", "1.2.4.1.1", "CT"));
    }

    static Attributes ctSeriesOfJane() {
        return level("SERIES")
                .setString(Tag.PATIENT_NAME, VR.PN, "DOE^JANE")
                .setString(Tag.MODALITY, VR.CS, "CT")
                .setNull(Tag.SERIES_INSTANCE_UID, VR.UI);
    }

    @Test
    void aSourceWithRelationalQueriesIsAskedOnceAtTheLevelAndItsMatchesPassAsTheyAre() throws Exception {
        pacs = new TestPacs(Set.of(SopClasses.STUDY_ROOT_QUERY_FIND), true);
        holdTwoPatients();
        Attributes ctSeries =
                level("SERIES").setString(Tag.MODALITY, VR.CS, "CT").setNull(Tag.SERIES_INSTANCE_UID, VR.UI);

        FindOutcome outcome = find(InformationModel.STUDY_ROOT, true)
                .run(QueryLevel.SERIES, ctSeries, relayed::add)
                .get();

        assertThat(outcome.status()).isEqualTo(Status.SUCCESS);
        assertThat(outcome.matches()).isEqualTo(3);
        assertThat(pacs.requests()).containsExactly(ctSeries);
        assertThat(relayed)
                .containsExactly(
                        level("SERIES")
                                .setString(Tag.MODALITY, VR.CS, "CT")
                                .setString(Tag.SERIES_INSTANCE_UID, VR.UI, "1.2.3.1.1"),
                        level("SERIES")
                                .setString(Tag.MODALITY, VR.CS, "CT")
                                .setString(Tag.SERIES_INSTANCE_UID, VR.UI, "1.2.3.2.1"),
                        level("SERIES")
                                .setString(Tag.MODALITY, VR.CS, "CT")
                                .setString(Tag.SERIES_INSTANCE_UID, VR.UI, "1.2.4.1.1"));
    }

    @Test
    void withoutRelationalQueriesAPatientRootSourceIsWalkedDownFromThePatientsAndEachMatchCarriesItsUpperLevels()
            throws Exception {
        pacs = new TestPacs(Set.of(SopClasses.PATIENT_ROOT_QUERY_FIND), false);
        holdTwoPatients();

        FindOutcome outcome = find(InformationModel.PATIENT_ROOT, false)
                .run(QueryLevel.SERIES, ctSeriesOfJane(), relayed::add)
                .get();

        assertThat(outcome).isEqualTo(new FindOutcome(Status.SUCCESS, null, 2, false));
        assertThat(pacs.requestSopClasses()).containsOnly(SopClasses.PATIENT_ROOT_QUERY_FIND);
        assertThat(pacs.requests())
                .containsExactly(
                        level("PATIENT")
                                .setString(Tag.PATIENT_NAME, VR.PN, "DOE^JANE")
                                .setNull(Tag.PATIENT_ID, VR.LO),
                        level("STUDY").setString(Tag.PATIENT_ID, VR.LO, "P1").setNull(Tag.STUDY_INSTANCE_UID, VR.UI),
                        level("SERIES")
                                .setString(Tag.PATIENT_ID, VR.LO, "P1")
                                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.3.1")
                                .setString(Tag.MODALITY, VR.CS, "CT")
                                .setNull(Tag.SERIES_INSTANCE_UID, VR.UI),
                        level("SERIES")
                                .setString(Tag.PATIENT_ID, VR.LO, "P1")
                                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.3.2")
                                .setString(Tag.MODALITY, VR.CS, "CT")
                                .setNull(Tag.SERIES_INSTANCE_UID, VR.UI));
        assertThat(relayed)
                .containsExactly(
                        level("SERIES")
                                .setString(Tag.PATIENT_ID, VR.LO, "P1")
                                .setString(Tag.PATIENT_NAME, VR.PN, "DOE^JANE")
                                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.3.1")
                                .setString(Tag.SERIES_INSTANCE_UID, VR.UI, "1.2.3.1.1")
                                .setString(Tag.MODALITY, VR.CS, "CT"),
                        level("SERIES")
                                .setString(Tag.PATIENT_ID, VR.LO, "P1")
                                .setString(Tag.PATIENT_NAME, VR.PN, "DOE^JANE")
                                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.3.2")
                                .setString(Tag.SERIES_INSTANCE_UID, VR.UI, "1.2.3.2.1")
                                .setString(Tag.MODALITY, VR.CS, "CT"));
    }

    @Test
    void anUpperLevelThatDoesNotSucceedEndsTheSearchWithItsOutcomeAndAsksNothingBelow() throws Exception {
        pacs = new TestPacs(Set.of(SopClasses.STUDY_ROOT_QUERY_FIND), false);
        holdTwoPatients();
        pacs.mode(TestPacs.Mode.FAIL_A700);

        FindOutcome outcome = find(InformationModel.STUDY_ROOT, false)
                .run(QueryLevel.SERIES, ctSeriesOfJane(), relayed::add)
                .get();

        assertThat(outcome.status()).isEqualTo(Status.OUT_OF_RESOURCES);
        assertThat(pacs.requests())
                .containsExactly(level("STUDY")
                        .setString(Tag.PATIENT_NAME, VR.PN, "DOE^JANE")
                        .setNull(Tag.STUDY_INSTANCE_UID, VR.UI));
        assertThat(relayed).isEmpty();
    }
}
