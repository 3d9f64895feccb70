package io.dicomspanner.dicom.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InformationModelTest {

    @Test
    void eachModelIsFoundByItsFindSopClassUid() {
        assertThat(InformationModel.ofFindSopClassUid("1.2.840.10008.5.1.4.1.2.1.1"))
                .isEqualTo(InformationModel.PATIENT_ROOT);
        assertThat(InformationModel.ofFindSopClassUid("1.2.840.10008.5.1.4.1.2.2.1"))
                .isEqualTo(InformationModel.STUDY_ROOT);
        assertThat(InformationModel.ofFindSopClassUid("1.2.840.10008.5.1.4.1.2.3.1"))
                .isEqualTo(InformationModel.PATIENT_STUDY_ONLY);
        assertThat(InformationModel.ofFindSopClassUid("1.2.840.10008.5.1.4.1.2.2.2"))
                .isNull();
    }

    @Test
    void levelCodesAreThoseOfTheModelsOwnLevelsExactly() {
        assertThat(InformationModel.STUDY_ROOT.hasLevelCode("STUDY")).isTrue();
        assertThat(InformationModel.STUDY_ROOT.hasLevelCode("IMAGE")).isTrue();
        assertThat(InformationModel.STUDY_ROOT.hasLevelCode("PATIENT")).isFalse();
        assertThat(InformationModel.PATIENT_STUDY_ONLY.hasLevelCode("PATIENT")).isTrue();
        assertThat(InformationModel.PATIENT_STUDY_ONLY.hasLevelCode("SERIES")).isFalse();
        assertThat(InformationModel.PATIENT_ROOT.hasLevelCode("study")).isFalse();
        assertThat(InformationModel.PATIENT_ROOT.hasLevelCode("FOO")).isFalse();
    }

    @Test
    void patientAttributesBelongToTheTopLevelOfAModelWithoutPatients() {
        assertThat(InformationModel.STUDY_ROOT.levelOf(QueryLevel.PATIENT)).isEqualTo(QueryLevel.STUDY);
        assertThat(InformationModel.PATIENT_ROOT.levelOf(QueryLevel.PATIENT)).isEqualTo(QueryLevel.PATIENT);
        assertThat(InformationModel.PATIENT_STUDY_ONLY.levelOf(QueryLevel.SERIES))
                .isNull();
    }

    @Test
    void displayNamesAreThoseOfPs34() {
        assertThat(InformationModel.values())
                .extracting(InformationModel::displayName)
                .containsExactly("Patient Root", "Study Root", "Patient/Study Only");
    }
}
