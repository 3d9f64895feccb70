package io.dicomspanner.simulator.find;

import static io.dicomspanner.simulator.find.SmallFleet.FLEET;
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
import io.dicomspanner.simulator.data.PacsPatient;
import io.dicomspanner.simulator.data.PatientRecord;
import io.dicomspanner.simulator.data.StudyCopy;
import java.util.List;
import org.junit.jupiter.api.Test;

class PatientRootFindTest {

    @Test
    void patientLevelByAReusedPatientIdReturnsOnePatientPerIssuerWithTheCountsOfThisPacs() {
        PatientRecord reusing = FLEET.patients().stream()
                .filter(p -> p.sharesPatientIdWith() != null)
                .findFirst()
                .orElseThrow();
        int pacs = reusing.homePacs();
        Attributes query = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "PATIENT")
                .setString(Tag.PATIENT_ID, VR.LO, reusing.patientId())
                .setNull(Tag.ISSUER_OF_PATIENT_ID, VR.LO)
                .setNull(Tag.PATIENT_NAME, VR.PN)
                .setNull(Tag.NUMBER_OF_PATIENT_RELATED_STUDIES, VR.IS)
                .setNull(Tag.NUMBER_OF_PATIENT_RELATED_SERIES, VR.IS)
                .setNull(Tag.NUMBER_OF_PATIENT_RELATED_INSTANCES, VR.IS);

        List<Attributes> answers = drain(engine(pacs).find(InformationModel.PATIENT_ROOT, query));

        List<PacsPatient> patients = view(pacs).patientsWithId(reusing.patientId());
        assertThat(patients).hasSizeGreaterThanOrEqualTo(2);
        assertThat(answers)
                .containsExactlyElementsOf(
                        patients.stream().map(p -> patientAnswer(pacs, p)).toList());
        assertThat(answers)
                .extracting(a -> a.getString(Tag.ISSUER_OF_PATIENT_ID))
                .contains(
                        reusing.issuerOfPatientId(),
                        reusing.sharesPatientIdWith().issuerOfPatientId());
    }

    private static Attributes patientAnswer(int pacs, PacsPatient p) {
        int series = 0;
        int instances = 0;
        for (StudyCopy c : p.studies()) {
            series += c.numberOfSeries();
            instances += c.numberOfInstances();
        }
        Attributes a = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "PATIENT")
                .setString(Tag.RETRIEVE_AE_TITLE, VR.AE, plain(pacs).aeTitle())
                .setString(Tag.PATIENT_NAME, VR.PN, p.patientName())
                .setString(Tag.PATIENT_ID, VR.LO, p.patientId())
                .setString(Tag.ISSUER_OF_PATIENT_ID, VR.LO, p.issuerOfPatientId())
                .setInt(
                        Tag.NUMBER_OF_PATIENT_RELATED_STUDIES,
                        VR.IS,
                        p.studies().size())
                .setInt(Tag.NUMBER_OF_PATIENT_RELATED_SERIES, VR.IS, series)
                .setInt(Tag.NUMBER_OF_PATIENT_RELATED_INSTANCES, VR.IS, instances);
        if (!p.patientName().chars().allMatch(c -> c < 0x80)) {
            a.setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 192");
        }
        return a;
    }

    @Test
    void studyLevelUnderOnePatientIdReturnsTheStudiesOfEveryPatientWithThatId() {
        PatientRecord reusing = FLEET.patients().stream()
                .filter(p -> p.sharesPatientIdWith() != null)
                .findFirst()
                .orElseThrow();
        int pacs = reusing.homePacs();
        Attributes query = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.PATIENT_ID, VR.LO, reusing.patientId())
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);

        FindResponses responses = engine(pacs).find(InformationModel.PATIENT_ROOT, query);

        assertThat(drain(responses))
                .extracting(a -> a.getString(Tag.STUDY_INSTANCE_UID))
                .containsExactlyElementsOf(view(pacs).patientsWithId(reusing.patientId()).stream()
                        .flatMap(p -> p.studies().stream())
                        .map(c -> c.study().studyInstanceUid())
                        .toList());
        assertThat(responses.finalStatus()).isEqualTo(FindStatus.success());
    }

    @Test
    void patientLevelWithoutKeysListsEveryPatientOfThePacsByPatientIdThenIssuer() {
        int pacs = 3;
        Attributes query = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "PATIENT")
                .setNull(Tag.PATIENT_ID, VR.LO)
                .setNull(Tag.ISSUER_OF_PATIENT_ID, VR.LO);

        List<Attributes> answers = drain(engine(pacs).find(InformationModel.PATIENT_STUDY_ONLY, query));

        assertThat(answers)
                .extracting(a -> a.getString(Tag.PATIENT_ID) + "/" + a.getString(Tag.ISSUER_OF_PATIENT_ID))
                .containsExactlyElementsOf(view(pacs).patients().stream()
                        .map(p -> p.patientId() + "/" + p.issuerOfPatientId())
                        .toList());
    }

    @Test
    void aLevelTheModelDoesNotHaveIsRefusedWithA900() {
        Attributes seriesQuery = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "SERIES")
                .setString(Tag.PATIENT_ID, VR.LO, "7613788")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, FLEET.studies().get(0).studyInstanceUid())
                .setNull(Tag.SERIES_INSTANCE_UID, VR.UI);
        Attributes patientQuery = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "PATIENT")
                .setNull(Tag.PATIENT_ID, VR.LO);

        FindResponses patientStudyOnly = engine(7).find(InformationModel.PATIENT_STUDY_ONLY, seriesQuery);
        FindResponses studyRoot = engine(7).find(InformationModel.STUDY_ROOT, patientQuery);

        for (FindResponses refused : List.of(patientStudyOnly, studyRoot)) {
            assertThat(refused.hasNext()).isFalse();
            assertThat(refused.finalStatus())
                    .isEqualTo(FindStatus.failure(
                            Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS,
                            "Query/Retrieve Level missing or not of this model",
                            Tag.QUERY_RETRIEVE_LEVEL));
        }
    }
}
