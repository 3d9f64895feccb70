package io.dicomspanner.dicom.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import org.junit.jupiter.api.Test;

class QueryLevelTest {

    @Test
    void codesAreTheQueryRetrieveLevelValuesOfPs34() {
        assertThat(QueryLevel.values())
                .extracting(QueryLevel::code)
                .containsExactly("PATIENT", "STUDY", "SERIES", "IMAGE");
        assertThat(QueryLevel.ofCode("IMAGE ")).isEqualTo(QueryLevel.IMAGE);
        assertThatThrownBy(() -> QueryLevel.ofCode("INSTANCE"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a Query/Retrieve Level: 'INSTANCE'");
    }

    @Test
    void qidoInstancesAreTheImageLevelAndThereIsNoPatientResource() {
        assertThat(QueryLevel.ofQidoName("studies")).isEqualTo(QueryLevel.STUDY);
        assertThat(QueryLevel.ofQidoName("series")).isEqualTo(QueryLevel.SERIES);
        assertThat(QueryLevel.ofQidoName("instances")).isEqualTo(QueryLevel.IMAGE);
        assertThat(QueryLevel.PATIENT.qidoName()).isNull();
        assertThatThrownBy(() -> QueryLevel.ofQidoName("patients")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QueryLevel.ofQidoName("Studies")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hierarchyRunsFromPatientDownToImage() {
        assertThat(QueryLevel.PATIENT.isAbove(QueryLevel.STUDY)).isTrue();
        assertThat(QueryLevel.STUDY.isAbove(QueryLevel.IMAGE)).isTrue();
        assertThat(QueryLevel.SERIES.isAbove(QueryLevel.STUDY)).isFalse();
        assertThat(QueryLevel.SERIES.isAbove(QueryLevel.SERIES)).isFalse();
    }

    @Test
    void uniqueKeysPerLevel() {
        assertThat(QueryLevel.PATIENT.uniqueKeyTags()).containsExactly(Tag.PATIENT_ID, Tag.ISSUER_OF_PATIENT_ID);
        assertThat(QueryLevel.STUDY.uniqueKeyTags()).containsExactly(Tag.STUDY_INSTANCE_UID);
        assertThat(QueryLevel.SERIES.uniqueKeyTags()).containsExactly(Tag.SERIES_INSTANCE_UID);
        assertThat(QueryLevel.IMAGE.uniqueKeyTags()).containsExactly(Tag.SOP_INSTANCE_UID);
    }

    @Test
    void uniqueKeyOfAStudyIsItsUidWithoutPadding() {
        Attributes study = new Attributes().setBytes(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.3\0".getBytes());
        assertThat(QueryLevel.STUDY.uniqueKeyOf(study)).isEqualTo("1.2.3");
        assertThat(QueryLevel.SERIES.uniqueKeyOf(study)).isNull();
    }

    @Test
    void patientKeyPairsIdWithIssuerAndAMissingIssuerCountsAsEmpty() {
        Attributes withIssuer = new Attributes()
                .setString(Tag.PATIENT_ID, VR.LO, "12345")
                .setString(Tag.ISSUER_OF_PATIENT_ID, VR.LO, "HOSP_A");
        Attributes otherIssuer = new Attributes()
                .setString(Tag.PATIENT_ID, VR.LO, "12345")
                .setString(Tag.ISSUER_OF_PATIENT_ID, VR.LO, "HOSP_B");
        Attributes emptyIssuer =
                new Attributes().setString(Tag.PATIENT_ID, VR.LO, "12345").setNull(Tag.ISSUER_OF_PATIENT_ID, VR.LO);
        Attributes noIssuer = new Attributes().setString(Tag.PATIENT_ID, VR.LO, "12345");

        assertThat(QueryLevel.PATIENT.uniqueKeyOf(withIssuer)).isEqualTo("12345\\HOSP_A");
        assertThat(QueryLevel.PATIENT.uniqueKeyOf(otherIssuer)).isEqualTo("12345\\HOSP_B");
        assertThat(QueryLevel.PATIENT.uniqueKeyOf(emptyIssuer))
                .isEqualTo(QueryLevel.PATIENT.uniqueKeyOf(noIssuer))
                .isEqualTo("12345\\");
    }

    @Test
    void aRecordWithAnEmptyUniqueKeyHasNoKey() {
        assertThat(QueryLevel.STUDY.uniqueKeyOf(new Attributes().setNull(Tag.STUDY_INSTANCE_UID, VR.UI)))
                .isNull();
        assertThat(QueryLevel.PATIENT.uniqueKeyOf(new Attributes().setString(Tag.ISSUER_OF_PATIENT_ID, "X")))
                .isNull();
    }
}
