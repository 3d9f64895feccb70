package io.dicomspanner.dicom.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Tag;
import org.junit.jupiter.api.Test;

class QidoResourceTest {

    @Test
    void allSeriesRepeatTheStudyAttributesButAStudysSeriesDoNot() {
        assertThat(QidoResource.ALL_SERIES.responseAttributes())
                .contains(Tag.STUDY_INSTANCE_UID, Tag.PATIENT_ID, Tag.MODALITIES_IN_STUDY, Tag.SERIES_INSTANCE_UID);
        assertThat(QidoResource.STUDY_SERIES.responseAttributes())
                .contains(Tag.SERIES_INSTANCE_UID)
                .doesNotContain(Tag.STUDY_INSTANCE_UID, Tag.PATIENT_ID);
        assertThat(QidoResource.ALL_SERIES.requiredResponseAttributes()).hasSize(13 + 4);
    }

    @Test
    void instanceResourcesRepeatWhatTheirPathLeavesOpen() {
        assertThat(QidoResource.STUDY_SERIES_INSTANCES.upperLevelsReturned()).isEmpty();
        assertThat(QidoResource.STUDY_INSTANCES.upperLevelsReturned()).containsExactly(QueryLevel.SERIES);
        assertThat(QidoResource.ALL_INSTANCES.upperLevelsReturned())
                .containsExactly(QueryLevel.STUDY, QueryLevel.SERIES);
        assertThat(QidoResource.STUDY_INSTANCES.requiredResponseAttributes())
                .containsExactly(
                        Tag.SOP_CLASS_UID,
                        Tag.SOP_INSTANCE_UID,
                        Tag.MODALITY,
                        Tag.SERIES_INSTANCE_UID,
                        Tag.SERIES_NUMBER,
                        Tag.INSTANCE_NUMBER,
                        Tag.NUMBER_OF_SERIES_RELATED_INSTANCES);
    }

    @Test
    void levelsAndRelationalNeedFollowThePath() {
        assertThat(QidoResource.ALL_STUDIES.level()).isEqualTo(QueryLevel.STUDY);
        assertThat(QidoResource.STUDY_SERIES.level()).isEqualTo(QueryLevel.SERIES);
        assertThat(QidoResource.ALL_INSTANCES.level()).isEqualTo(QueryLevel.IMAGE);
        assertThat(QidoResource.values())
                .filteredOn(QidoResource::needsRelationalQuery)
                .containsExactly(QidoResource.ALL_SERIES, QidoResource.STUDY_INSTANCES, QidoResource.ALL_INSTANCES);
    }
}
