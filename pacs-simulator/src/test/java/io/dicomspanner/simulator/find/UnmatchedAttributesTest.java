package io.dicomspanner.simulator.find;

import static io.dicomspanner.simulator.find.SmallFleet.drain;
import static io.dicomspanner.simulator.find.SmallFleet.engine;
import static io.dicomspanner.simulator.find.SmallFleet.plain;
import static io.dicomspanner.simulator.find.SmallFleet.view;
import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.simulator.config.PacsSettings;
import io.dicomspanner.simulator.data.PacsPatient;
import io.dicomspanner.simulator.data.StudyCopy;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A PACS that stores an attribute and returns it, but ignores its key without a word: it answers records whose values
 * do not match, with those values, and the pending status FF00.
 */
class UnmatchedAttributesTest {

    /** PACS 0 of the small fleet and one of its patients with a CT study and a study without CT, none conflicting. */
    static final int PACS = 0;

    static final PacsPatient PATIENT = view(PACS).patients().stream()
            .filter(p -> view(PACS).patientsWithId(p.patientId()).size() == 1
                    && p.studies().stream().noneMatch(StudyCopy::isConflicting)
                    && p.studies().stream().anyMatch(c -> c.modalitiesInStudy().contains("CT"))
                    && p.studies().stream().anyMatch(c -> !c.modalitiesInStudy().contains("CT")))
            .findFirst()
            .orElseThrow();

    static Attributes ctStudiesOfThePatient() {
        return new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.PATIENT_ID, VR.LO, PATIENT.patientId())
                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT")
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);
    }

    /** The response a PACS gives for one study copy of the patient: its own ModalitiesInStudy. */
    static Attributes response(StudyCopy copy) {
        return new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.RETRIEVE_AE_TITLE, VR.AE, plain(PACS).aeTitle())
                .setString(Tag.PATIENT_ID, VR.LO, PATIENT.patientId())
                .setString(
                        Tag.MODALITIES_IN_STUDY, VR.CS, copy.modalitiesInStudy().toArray(String[]::new))
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, copy.study().studyInstanceUid());
    }

    @Test
    void aPacsMatchingModalitiesInStudyAnswersOnlyTheStudiesWithCt() {
        FindResponses responses = engine(PACS).find(InformationModel.STUDY_ROOT, ctStudiesOfThePatient());

        List<Attributes> expected = PATIENT.studies().stream()
                .filter(c -> c.modalitiesInStudy().contains("CT"))
                .map(UnmatchedAttributesTest::response)
                .toList();
        assertThat(drain(responses)).containsExactlyElementsOf(expected);
        assertThat(responses.pendingStatus()).isEqualTo(Status.PENDING);
    }

    @Test
    void aPacsNotMatchingModalitiesInStudyAnswersEveryStudyOfThePatientWithItsRealModalitiesAndFf00() {
        PacsSettings unmatched = plain(PACS).withUnmatchedAttributes(Set.of("ModalitiesInStudy"));

        FindResponses responses = engine(PACS, unmatched).find(InformationModel.STUDY_ROOT, ctStudiesOfThePatient());

        List<Attributes> expected = PATIENT.studies().stream()
                .map(UnmatchedAttributesTest::response)
                .toList();
        List<Attributes> answers = drain(responses);
        assertThat(answers).containsExactlyElementsOf(expected);
        assertThat(answers)
                .anyMatch(a -> !List.of(a.getStrings(Tag.MODALITIES_IN_STUDY)).contains("CT"));
        assertThat(responses.pendingStatus()).isEqualTo(Status.PENDING);
        assertThat(responses.finalStatus()).isEqualTo(FindStatus.success());
    }

    @Test
    void anUnmatchedKeyAboveTheQueryLevelStillMakesTheQueryRelational() {
        StudyCopy copy = PATIENT.studies().get(0);
        PacsSettings hierarchicalOnly =
                plain(PACS).withRelationalQueries(false).withUnmatchedAttributes(Set.of("ModalitiesInStudy"));
        Attributes query = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "SERIES")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, copy.study().studyInstanceUid())
                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT")
                .setNull(Tag.SERIES_INSTANCE_UID, VR.UI);

        FindResponses responses = engine(PACS, hierarchicalOnly).find(InformationModel.STUDY_ROOT, query);

        assertThat(drain(responses)).isEmpty();
        assertThat(responses.finalStatus())
                .isEqualTo(FindStatus.failure(
                        Status.UNABLE_TO_PROCESS, "Relational query not supported: ModalitiesInStudy"));
    }
}
