package io.dicomspanner.common.querylog;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.QueryState;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryLogStatusTest {

    @Test
    void everyStateIsLoggedAsCompletedPartialOrFailed() {
        Map<QueryState, String> logged = new EnumMap<>(QueryState.class);
        for (QueryState state : QueryState.values()) {
            logged.put(state, QueryLogStatus.of(state).wire());
        }

        assertThat(logged)
                .isEqualTo(Map.of(
                        QueryState.RUNNING, "failed",
                        QueryState.COMPLETE, "completed",
                        QueryState.PARTIAL, "partial",
                        QueryState.FAILED, "failed",
                        QueryState.TIMED_OUT, "failed",
                        QueryState.CANCELLED, "failed"));
    }

    @Test
    void theStoredValuesAreTheOnesTheTableAllows() {
        assertThat(QueryLogStatus.values())
                .extracting(QueryLogStatus::wire)
                .containsExactly("completed", "partial", "failed");
    }
}
