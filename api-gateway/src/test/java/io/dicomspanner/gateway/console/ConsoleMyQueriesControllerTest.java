package io.dicomspanner.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.querylog.QueryLogStatus;
import io.dicomspanner.dicom.query.QueryLevel;
import org.junit.jupiter.api.Test;

class ConsoleMyQueriesControllerTest {

    @Test
    void statusesAreNamedAsThePerPacsPanelNamesThem() {
        assertThat(ConsoleMyQueriesController.statusOf(QueryLogStatus.COMPLETED))
                .isEqualTo("complete");
        assertThat(ConsoleMyQueriesController.statusOf(QueryLogStatus.PARTIAL)).isEqualTo("partial");
        assertThat(ConsoleMyQueriesController.statusOf(QueryLogStatus.FAILED)).isEqualTo("failed");
        assertThat(ConsoleMyQueriesController.statusOf(null)).isEqualTo("running");
    }

    @Test
    void levelsAreNamedAsTheSearchFormNamesThem() {
        assertThat(ConsoleMyQueriesController.levelOf(QueryLevel.STUDY)).isEqualTo("studies");
        assertThat(ConsoleMyQueriesController.levelOf(QueryLevel.SERIES)).isEqualTo("series");
        assertThat(ConsoleMyQueriesController.levelOf(QueryLevel.IMAGE)).isEqualTo("instances");
        assertThat(ConsoleMyQueriesController.levelOf(QueryLevel.PATIENT)).isEqualTo("patient");
        assertThat(ConsoleMyQueriesController.levelOf(null)).isEmpty();
    }
}
