package io.dicomspanner.worker.adapt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.worker.find.CFindFailedException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelChoiceTest {

    @Test
    void theFirstOfTheSourcesModelsWithTheLevelIsChosen() {
        List<InformationModel> both = List.of(InformationModel.STUDY_ROOT, InformationModel.PATIENT_ROOT);

        assertThat(QueryAdapter.chooseModel(both, QueryLevel.SERIES)).isEqualTo(InformationModel.STUDY_ROOT);
        assertThat(QueryAdapter.chooseModel(both, QueryLevel.PATIENT)).isEqualTo(InformationModel.PATIENT_ROOT);
    }

    @Test
    void aSourceNamingNoModelIsAskedStudyRootThenPatientRoot() {
        assertThat(QueryAdapter.chooseModel(List.of(), QueryLevel.STUDY)).isEqualTo(InformationModel.STUDY_ROOT);
        assertThat(QueryAdapter.chooseModel(null, QueryLevel.PATIENT)).isEqualTo(InformationModel.PATIENT_ROOT);
    }

    @Test
    void aLevelNoModelOfTheSourceHasIsRefused() {
        assertThatThrownBy(() -> QueryAdapter.chooseModel(List.of(InformationModel.STUDY_ROOT), QueryLevel.PATIENT))
                .isInstanceOfSatisfying(
                        CFindFailedException.class, f -> assertThat(f.outcome()).isEqualTo(SourceOutcome.REFUSED))
                .hasMessage("no information model of the source ([STUDY_ROOT]) has the PATIENT level");
    }
}
