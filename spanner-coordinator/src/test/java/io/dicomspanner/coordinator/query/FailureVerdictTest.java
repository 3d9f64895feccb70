package io.dicomspanner.coordinator.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.config.FailureStrategy;
import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.SourceOutcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The failure strategies' verdicts on every mix of source outcomes that decides differently. */
class FailureVerdictTest {

    @ParameterizedTest(name = "{0} (threshold {1}) over [{2}] is {3}")
    @CsvSource(delimiter = '|', textBlock = """
            # strategy        | threshold | outcomes, the ended ones in the order they ended | verdict
            PARTIAL_RESULTS   | 0 | SUCCESS SUCCESS SUCCESS                 | COMPLETE
            PARTIAL_RESULTS   | 0 | SUCCESS RUNNING SUCCESS                 | RUNNING
            PARTIAL_RESULTS   | 0 | FAILED_STATUS RUNNING                   | RUNNING
            PARTIAL_RESULTS   | 0 | TIMEOUT TIMEOUT RUNNING                 | RUNNING
            PARTIAL_RESULTS   | 0 | SUCCESS FAILED_STATUS                   | PARTIAL
            PARTIAL_RESULTS   | 0 | SUCCESS TIMEOUT                         | PARTIAL
            PARTIAL_RESULTS   | 0 | CANCELLED SUCCESS                       | PARTIAL
            PARTIAL_RESULTS   | 0 | FAILED_STATUS CONNECTION_FAILED         | FAILED
            PARTIAL_RESULTS   | 0 | CIRCUIT_OPEN REFUSED                    | FAILED
            PARTIAL_RESULTS   | 0 | FAILED_STATUS TIMEOUT                   | TIMED_OUT
            PARTIAL_RESULTS   | 0 | TIMEOUT TIMEOUT                         | TIMED_OUT
            PARTIAL_RESULTS   | 0 | ''                                      | COMPLETE
            FAIL_FAST         | 0 | SUCCESS SUCCESS SUCCESS                 | COMPLETE
            FAIL_FAST         | 0 | SUCCESS RUNNING RUNNING                 | RUNNING
            FAIL_FAST         | 0 | FAILED_STATUS RUNNING RUNNING           | FAILED
            FAIL_FAST         | 0 | SUCCESS CIRCUIT_OPEN                    | FAILED
            FAIL_FAST         | 0 | CANCELLED RUNNING                       | FAILED
            FAIL_FAST         | 0 | TIMEOUT RUNNING                         | TIMED_OUT
            FAIL_FAST         | 0 | TIMEOUT FAILED_STATUS                   | TIMED_OUT
            FAIL_FAST         | 0 | FAILED_STATUS TIMEOUT                   | FAILED
            FAIL_FAST         | 0 | RUNNING FAILED_STATUS TIMEOUT           | FAILED
            FAIL_FAST         | 0 | ''                                      | COMPLETE
            MINIMUM_THRESHOLD | 2 | SUCCESS SUCCESS SUCCESS                 | COMPLETE
            MINIMUM_THRESHOLD | 2 | SUCCESS SUCCESS FAILED_STATUS           | PARTIAL
            MINIMUM_THRESHOLD | 2 | SUCCESS TIMEOUT SUCCESS                 | PARTIAL
            MINIMUM_THRESHOLD | 2 | SUCCESS SUCCESS RUNNING                 | RUNNING
            MINIMUM_THRESHOLD | 2 | SUCCESS FAILED_STATUS RUNNING           | RUNNING
            MINIMUM_THRESHOLD | 2 | RUNNING RUNNING RUNNING                 | RUNNING
            MINIMUM_THRESHOLD | 2 | FAILED_STATUS CONNECTION_FAILED RUNNING | FAILED
            MINIMUM_THRESHOLD | 2 | SUCCESS FAILED_STATUS CANCELLED         | FAILED
            MINIMUM_THRESHOLD | 2 | FAILED_STATUS TIMEOUT RUNNING           | TIMED_OUT
            MINIMUM_THRESHOLD | 2 | SUCCESS FAILED_STATUS TIMEOUT           | TIMED_OUT
            MINIMUM_THRESHOLD | 1 | SUCCESS TIMEOUT FAILED_STATUS           | PARTIAL
            MINIMUM_THRESHOLD | 1 | TIMEOUT FAILED_STATUS                   | TIMED_OUT
            MINIMUM_THRESHOLD | 3 | SUCCESS SUCCESS FAILED_STATUS           | FAILED
            MINIMUM_THRESHOLD | 3 | SUCCESS RUNNING RUNNING                 | RUNNING
            MINIMUM_THRESHOLD | 3 | SUCCESS SUCCESS                         | FAILED
            MINIMUM_THRESHOLD | 0 | ''                                      | COMPLETE
            """)
    void theVerdictOfAStrategyOnTheSourcesOutcomes(
            FailureStrategy strategy, int threshold, String outcomes, QueryState verdict) {
        assertThat(FailureVerdict.of(strategy, threshold, outcomes(outcomes))).isEqualTo(verdict);
    }

    /** Every strategy and every outcome of a query's only source (threshold 1). */
    static Stream<Arguments> aSingleSource() {
        List<Arguments> rows = new ArrayList<>();
        for (FailureStrategy strategy : FailureStrategy.values()) {
            rows.add(Arguments.of(strategy, SourceOutcome.RUNNING, QueryState.RUNNING));
            rows.add(Arguments.of(strategy, SourceOutcome.SUCCESS, QueryState.COMPLETE));
            rows.add(Arguments.of(strategy, SourceOutcome.TIMEOUT, QueryState.TIMED_OUT));
            for (SourceOutcome failure : List.of(
                    SourceOutcome.FAILED_STATUS,
                    SourceOutcome.CONNECTION_FAILED,
                    SourceOutcome.REFUSED,
                    SourceOutcome.CIRCUIT_OPEN,
                    SourceOutcome.CANCELLED)) {
                rows.add(Arguments.of(strategy, failure, QueryState.FAILED));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} over its only source {1} is {2}")
    @MethodSource("aSingleSource")
    void everyStrategyDecidesAQueryOfOneSourceByThatSource(
            FailureStrategy strategy, SourceOutcome outcome, QueryState verdict) {
        assertThat(FailureVerdict.of(strategy, 1, List.of(outcome))).isEqualTo(verdict);
    }

    private static List<SourceOutcome> outcomes(String names) {
        return Arrays.stream(names.trim().split("\\s+"))
                .filter(name -> !name.isEmpty())
                .map(SourceOutcome::valueOf)
                .toList();
    }
}
