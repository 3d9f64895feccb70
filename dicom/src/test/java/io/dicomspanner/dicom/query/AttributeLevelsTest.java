package io.dicomspanner.dicom.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Tag;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AttributeLevelsTest {

    private static final int ROWS = 0x00280010;
    private static final int BODY_PART_EXAMINED = 0x00180015;
    private static final int PATIENT_AGE = 0x00101010;
    private static final int MANUFACTURER = 0x00080070;
    private static final int FRAME_OF_REFERENCE_UID = 0x00200052;
    private static final int IMAGE_TYPE = 0x00080008;
    private static final int PRIVATE_CREATOR = 0x00090010;
    private static final int PRIVATE_ELEMENT = 0x00091001;

    @Test
    void keysOfThePatientRootTablesHaveTheirLevels() {
        assertThat(AttributeLevels.levelOf(Tag.PATIENT_NAME)).contains(QueryLevel.PATIENT);
        assertThat(AttributeLevels.levelOf(Tag.PATIENT_ID)).contains(QueryLevel.PATIENT);
        assertThat(AttributeLevels.levelOf(Tag.ISSUER_OF_PATIENT_ID)).contains(QueryLevel.PATIENT);
        assertThat(AttributeLevels.levelOf(Tag.NUMBER_OF_PATIENT_RELATED_STUDIES))
                .contains(QueryLevel.PATIENT);
        assertThat(AttributeLevels.levelOf(Tag.STUDY_INSTANCE_UID)).contains(QueryLevel.STUDY);
        assertThat(AttributeLevels.levelOf(Tag.MODALITIES_IN_STUDY)).contains(QueryLevel.STUDY);
        assertThat(AttributeLevels.levelOf(Tag.NUMBER_OF_STUDY_RELATED_INSTANCES))
                .contains(QueryLevel.STUDY);
        assertThat(AttributeLevels.levelOf(Tag.MODALITY)).contains(QueryLevel.SERIES);
        assertThat(AttributeLevels.levelOf(Tag.SERIES_NUMBER)).contains(QueryLevel.SERIES);
        assertThat(AttributeLevels.levelOf(Tag.NUMBER_OF_SERIES_RELATED_INSTANCES))
                .contains(QueryLevel.SERIES);
        assertThat(AttributeLevels.levelOf(Tag.SOP_INSTANCE_UID)).contains(QueryLevel.IMAGE);
        assertThat(AttributeLevels.levelOf(Tag.INSTANCE_NUMBER)).contains(QueryLevel.IMAGE);
    }

    @Test
    void patientStudyModuleAttributesAreStudyLevelBecauseTheyDescribeThePatientAtThatStudy() {
        assertThat(AttributeLevels.levelOf(PATIENT_AGE)).contains(QueryLevel.STUDY);
    }

    @Test
    void equipmentAndFrameOfReferenceAttributesAreSeriesLevel() {
        assertThat(AttributeLevels.levelOf(MANUFACTURER)).contains(QueryLevel.SERIES);
        assertThat(AttributeLevels.levelOf(FRAME_OF_REFERENCE_UID)).contains(QueryLevel.SERIES);
        assertThat(AttributeLevels.levelOf(BODY_PART_EXAMINED)).contains(QueryLevel.SERIES);
    }

    @Test
    void everyOtherStandardAttributeBelongsToTheInstance() {
        assertThat(AttributeLevels.levelOf(ROWS)).contains(QueryLevel.IMAGE);
        assertThat(AttributeLevels.levelOf(IMAGE_TYPE)).contains(QueryLevel.IMAGE);
    }

    @Test
    void responseAttributesAndPrivateAttributesBelongToNoLevel() {
        for (int tag : new int[] {
            Tag.SPECIFIC_CHARACTER_SET,
            Tag.QUERY_RETRIEVE_LEVEL,
            Tag.RETRIEVE_AE_TITLE,
            Tag.RETRIEVE_URL,
            Tag.INSTANCE_AVAILABILITY,
            Tag.TIMEZONE_OFFSET_FROM_UTC,
            PRIVATE_CREATOR,
            PRIVATE_ELEMENT
        }) {
            assertThat(AttributeLevels.levelOf(tag)).as(Tag.toString(tag)).isEqualTo(Optional.empty());
            assertThat(AttributeLevels.isLevelIndependent(tag))
                    .as(Tag.toString(tag))
                    .isTrue();
            assertThat(AttributeLevels.isAllowedAt(tag, QueryLevel.STUDY)).isTrue();
        }
        assertThat(AttributeLevels.isLevelIndependent(Tag.STUDY_DATE)).isFalse();
    }

    @Test
    void aLevelAllowsItsOwnAttributesAndThoseAboveButNeverThoseBelow() {
        assertThat(AttributeLevels.isAllowedAt(Tag.PATIENT_NAME, QueryLevel.STUDY))
                .isTrue();
        assertThat(AttributeLevels.isAllowedAt(Tag.STUDY_DATE, QueryLevel.STUDY))
                .isTrue();
        assertThat(AttributeLevels.isAllowedAt(Tag.MODALITY, QueryLevel.STUDY)).isFalse();
        assertThat(AttributeLevels.isAllowedAt(Tag.STUDY_DATE, QueryLevel.SERIES))
                .isTrue();
        assertThat(AttributeLevels.isAllowedAt(Tag.SOP_CLASS_UID, QueryLevel.SERIES))
                .isFalse();
        assertThat(AttributeLevels.isAllowedAt(Tag.SOP_CLASS_UID, QueryLevel.IMAGE))
                .isTrue();
        assertThat(AttributeLevels.isAllowedAt(Tag.STUDY_INSTANCE_UID, QueryLevel.PATIENT))
                .isFalse();
    }
}
