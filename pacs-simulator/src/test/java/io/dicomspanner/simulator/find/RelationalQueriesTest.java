package io.dicomspanner.simulator.find;

import static io.dicomspanner.simulator.find.SmallFleet.drain;
import static io.dicomspanner.simulator.find.SmallFleet.engine;
import static io.dicomspanner.simulator.find.SmallFleet.firstReplica;
import static io.dicomspanner.simulator.find.SmallFleet.plain;
import static io.dicomspanner.simulator.find.SmallFleet.view;
import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.simulator.data.PacsPatient;
import io.dicomspanner.simulator.data.SeriesRecord;
import io.dicomspanner.simulator.data.StudyCopy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelationalQueriesTest {
    private static final int PACS = 2;

    @Test
    void aSeriesQueryWithoutStudyUidIsRefusedWithC000ByAPacsWithoutRelationalQueries() {
        Attributes query = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "SERIES")
                .setString(Tag.MODALITY, VR.CS, "MR")
                .setNull(Tag.SERIES_INSTANCE_UID, VR.UI);

        FindResponses responses = hierarchicalOnly().find(InformationModel.STUDY_ROOT, query);

        assertThat(responses.hasNext()).isFalse();
        assertThat(responses.finalStatus())
                .isEqualTo(FindStatus.failure(
                        Status.UNABLE_TO_PROCESS, "Relational query not supported: StudyInstanceUID"));
    }

    @Test
    void upperLevelKeysBesideTheUniqueKeyMakeAQueryRelationalEvenWhenEmpty() {
        StudyCopy copy = view(PACS).studies().get(0);
        Attributes query = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "SERIES")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, copy.study().studyInstanceUid())
                .setNull(Tag.PATIENT_NAME, VR.PN)
                .setNull(Tag.SERIES_INSTANCE_UID, VR.UI);

        FindResponses refused = hierarchicalOnly().find(InformationModel.STUDY_ROOT, query);
        List<Attributes> answered = drain(engine(PACS).find(InformationModel.STUDY_ROOT, query));

        assertThat(refused.hasNext()).isFalse();
        assertThat(refused.finalStatus().errorComment()).isEqualTo("Relational query not supported: PatientName");
        assertThat(answered)
                .hasSize(copy.numberOfSeries())
                .allSatisfy(a -> assertThat(a.getString(Tag.PATIENT_NAME))
                        .isEqualTo(copy.holder().patientName()));
    }

    @Test
    void aStudyQueryWithoutPatientIdIsRelationalInThePatientRootModelButNotInTheStudyRootModel() {
        StudyCopy copy = view(PACS).studies().get(0);
        Attributes query = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, copy.study().studyInstanceUid());

        FindResponses patientRoot = hierarchicalOnly().find(InformationModel.PATIENT_ROOT, query);
        List<Attributes> studyRoot = drain(hierarchicalOnly().find(InformationModel.STUDY_ROOT, query));

        assertThat(patientRoot.hasNext()).isFalse();
        assertThat(patientRoot.finalStatus().errorComment()).isEqualTo("Relational query not supported: PatientID");
        assertThat(studyRoot).hasSize(1);
    }

    @Test
    void aRelationalSeriesQueryFindsTheMatchingSeriesOfEveryStudyOfThePatient() {
        PacsPatient patient = view(PACS).patients().stream()
                .filter(p -> p.studies().size() > 1)
                .findFirst()
                .orElseThrow();
        String modality = patient.studies().get(0).series().get(0).modality();
        Attributes query = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "SERIES")
                .setString(Tag.PATIENT_ID, VR.LO, patient.patientId())
                .setString(Tag.MODALITY, VR.CS, modality)
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI)
                .setNull(Tag.SERIES_INSTANCE_UID, VR.UI);

        List<Attributes> answers = drain(engine(PACS).find(InformationModel.STUDY_ROOT, query));

        List<Attributes> expected = new ArrayList<>();
        for (PacsPatient p : view(PACS).patientsWithId(patient.patientId())) {
            for (StudyCopy c : p.studies()) {
                for (SeriesRecord s : c.series()) {
                    if (s.modality().equals(modality)) {
                        expected.add(new Attributes()
                                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "SERIES")
                                .setString(
                                        Tag.RETRIEVE_AE_TITLE,
                                        VR.AE,
                                        plain(PACS).aeTitle())
                                .setString(Tag.MODALITY, VR.CS, modality)
                                .setString(Tag.PATIENT_ID, VR.LO, patient.patientId())
                                .setString(
                                        Tag.STUDY_INSTANCE_UID, VR.UI, c.study().studyInstanceUid())
                                .setString(Tag.SERIES_INSTANCE_UID, VR.UI, s.seriesInstanceUid()));
                    }
                }
            }
        }
        assertThat(answers).isNotEmpty().containsExactlyElementsOf(expected);
    }

    @Test
    void aRelationalImageQueryBySopInstanceUidAloneReturnsThatImageWithTheUpperKeysAskedFor() {
        StudyCopy copy = firstReplica(c -> true);
        SeriesRecord series = copy.series().get(0);
        String sopInstanceUid = series.sopInstanceUid(1);
        Attributes query = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "IMAGE")
                .setNull(Tag.PATIENT_ID, VR.LO)
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI)
                .setNull(Tag.SERIES_INSTANCE_UID, VR.UI)
                .setString(Tag.SOP_INSTANCE_UID, VR.UI, sopInstanceUid);

        List<Attributes> answers = drain(engine(copy.pacs()).find(InformationModel.STUDY_ROOT, query));

        assertThat(answers)
                .containsExactly(new Attributes()
                        .setString(Tag.SOP_INSTANCE_UID, VR.UI, sopInstanceUid)
                        .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "IMAGE")
                        .setString(
                                Tag.RETRIEVE_AE_TITLE, VR.AE, plain(copy.pacs()).aeTitle())
                        .setString(Tag.PATIENT_ID, VR.LO, copy.patientId())
                        .setString(Tag.STUDY_INSTANCE_UID, VR.UI, copy.study().studyInstanceUid())
                        .setString(Tag.SERIES_INSTANCE_UID, VR.UI, series.seriesInstanceUid()));
    }

    private static CFindEngine hierarchicalOnly() {
        return engine(PACS, plain(PACS).withRelationalQueries(false));
    }
}
