package io.dicomspanner.dicom.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.dicom.data.Tag;
import org.junit.jupiter.api.Test;

class QidoAttributesTest {

    private static final int ROWS = 0x00280010;
    private static final int COLUMNS = 0x00280011;
    private static final int BITS_ALLOCATED = 0x00280100;
    private static final int NUMBER_OF_FRAMES = 0x00280008;
    private static final int PPS_START_DATE = 0x00400244;
    private static final int PPS_START_TIME = 0x00400245;
    private static final int REQUEST_ATTRIBUTES_SEQUENCE = 0x00400275;
    private static final int SCHEDULED_PROCEDURE_STEP_ID = 0x00400009;
    private static final int REQUESTED_PROCEDURE_ID = 0x00401001;

    @Test
    void studyResultsCarryTable10_6_3_3() {
        assertThat(QidoAttributes.requiredResponseAttributes(QueryLevel.STUDY))
                .containsExactly(
                        Tag.STUDY_DATE,
                        Tag.STUDY_TIME,
                        Tag.ACCESSION_NUMBER,
                        Tag.MODALITIES_IN_STUDY,
                        Tag.REFERRING_PHYSICIAN_NAME,
                        Tag.PATIENT_NAME,
                        Tag.PATIENT_ID,
                        Tag.PATIENT_BIRTH_DATE,
                        Tag.PATIENT_SEX,
                        Tag.STUDY_INSTANCE_UID,
                        Tag.STUDY_ID,
                        Tag.NUMBER_OF_STUDY_RELATED_SERIES,
                        Tag.NUMBER_OF_STUDY_RELATED_INSTANCES);
        assertThat(QidoAttributes.conditionalResponseAttributes(QueryLevel.STUDY))
                .containsExactly(Tag.INSTANCE_AVAILABILITY, Tag.TIMEZONE_OFFSET_FROM_UTC, Tag.RETRIEVE_URL);
        assertThat(QidoAttributes.responseAttributes(QueryLevel.STUDY))
                .hasSize(16)
                .startsWith(Tag.STUDY_DATE, Tag.STUDY_TIME, Tag.ACCESSION_NUMBER, Tag.INSTANCE_AVAILABILITY)
                .doesNotContain(Tag.SPECIFIC_CHARACTER_SET);
    }

    @Test
    void seriesResultsCarryTable10_6_3_4() {
        assertThat(QidoAttributes.requiredResponseAttributes(QueryLevel.SERIES))
                .containsExactly(
                        Tag.MODALITY,
                        Tag.SERIES_INSTANCE_UID,
                        Tag.SERIES_NUMBER,
                        Tag.NUMBER_OF_SERIES_RELATED_INSTANCES);
        assertThat(QidoAttributes.conditionalResponseAttributes(QueryLevel.SERIES))
                .containsExactly(
                        Tag.TIMEZONE_OFFSET_FROM_UTC,
                        Tag.SERIES_DESCRIPTION,
                        Tag.RETRIEVE_URL,
                        PPS_START_DATE,
                        PPS_START_TIME,
                        REQUEST_ATTRIBUTES_SEQUENCE);
    }

    @Test
    void instanceResultsCarryTable10_6_3_5() {
        assertThat(QidoAttributes.requiredResponseAttributes(QueryLevel.IMAGE))
                .containsExactly(Tag.SOP_CLASS_UID, Tag.SOP_INSTANCE_UID, Tag.INSTANCE_NUMBER);
        assertThat(QidoAttributes.conditionalResponseAttributes(QueryLevel.IMAGE))
                .containsExactly(
                        Tag.INSTANCE_AVAILABILITY,
                        Tag.TIMEZONE_OFFSET_FROM_UTC,
                        Tag.RETRIEVE_URL,
                        NUMBER_OF_FRAMES,
                        ROWS,
                        COLUMNS,
                        BITS_ALLOCATED);
    }

    @Test
    void requiredMatchingKeysOfTable10_6_1_5IncludeTheNestedRequestAttributes() {
        assertThat(QidoAttributes.requiredMatchingKeys(QueryLevel.STUDY))
                .extracting(AttributePath::toString)
                .containsExactly(
                        "00080020",
                        "00080030",
                        "00080050",
                        "00080061",
                        "00080090",
                        "00100010",
                        "00100020",
                        "0020000D",
                        "00200010");
        assertThat(QidoAttributes.requiredMatchingKeys(QueryLevel.SERIES))
                .containsExactly(
                        AttributePath.of(Tag.MODALITY),
                        AttributePath.of(Tag.SERIES_INSTANCE_UID),
                        AttributePath.of(Tag.SERIES_NUMBER),
                        AttributePath.of(PPS_START_DATE),
                        AttributePath.of(PPS_START_TIME),
                        AttributePath.of(REQUEST_ATTRIBUTES_SEQUENCE, SCHEDULED_PROCEDURE_STEP_ID),
                        AttributePath.of(REQUEST_ATTRIBUTES_SEQUENCE, REQUESTED_PROCEDURE_ID));
        assertThat(QidoAttributes.requiredMatchingKeys(QueryLevel.SERIES).get(5).toString())
                .isEqualTo("00400275.00400009");
        assertThat(QidoAttributes.requiredMatchingKeys(QueryLevel.IMAGE))
                .containsExactly(
                        AttributePath.of(Tag.SOP_CLASS_UID),
                        AttributePath.of(Tag.SOP_INSTANCE_UID),
                        AttributePath.of(Tag.INSTANCE_NUMBER));
    }

    @Test
    void everyDefaultResultAttributeIsAllowedAtItsLevel() {
        for (QueryLevel level : new QueryLevel[] {QueryLevel.STUDY, QueryLevel.SERIES, QueryLevel.IMAGE}) {
            for (int tag : QidoAttributes.responseAttributes(level)) {
                assertThat(AttributeLevels.isAllowedAt(tag, level))
                        .as("%s at %s", Tag.toString(tag), level)
                        .isTrue();
            }
        }
    }

    @Test
    void thereIsNoPatientResource() {
        assertThatThrownBy(() -> QidoAttributes.responseAttributes(QueryLevel.PATIENT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("QIDO-RS has no PATIENT resource");
    }
}
