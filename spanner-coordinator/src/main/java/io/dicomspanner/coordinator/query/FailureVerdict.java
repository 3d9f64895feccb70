package io.dicomspanner.coordinator.query;

import io.dicomspanner.common.config.FailureStrategy;
import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.SourceOutcome;
import java.util.List;

/**
 * A config's failure strategy applied to its sources' outcomes: the query's final state, or RUNNING while it must go
 * on. A source that timed out makes a failing verdict TIMED_OUT (the deadline decided it), else it is FAILED.
 *
 * <ul>
 *   <li>PARTIAL_RESULTS waits for every source: COMPLETE when none failed, PARTIAL when some succeeded, else failing.
 *   <li>FAIL_FAST ends with the first source that fails (TIMED_OUT if that one timed out), else COMPLETE when all
 *       succeeded.
 *   <li>MINIMUM_THRESHOLD fails as soon as too few sources can still succeed; once all ended, COMPLETE or PARTIAL.
 * </ul>
 */
final class FailureVerdict {

    private FailureVerdict() {}

    /**
     * @param minimumSuccessThreshold the sources that must succeed under MINIMUM_THRESHOLD
     * @param outcomes one per source: the ended ones in the order they ended (FAIL_FAST is decided by the first failure
     *     to end), a pending one as RUNNING, anywhere
     */
    static QueryState of(FailureStrategy strategy, int minimumSuccessThreshold, List<SourceOutcome> outcomes) {
        int succeeded = 0;
        int failed = 0;
        int pending = 0;
        boolean timedOut = false;
        SourceOutcome firstFailure = null;
        for (SourceOutcome outcome : outcomes) {
            if (!outcome.isFinal()) {
                pending++;
            } else if (outcome.isSuccess()) {
                succeeded++;
            } else {
                failed++;
                timedOut |= outcome == SourceOutcome.TIMEOUT;
                if (firstFailure == null) {
                    firstFailure = outcome;
                }
            }
        }
        QueryState failure = timedOut ? QueryState.TIMED_OUT : QueryState.FAILED;
        return switch (strategy) {
            case PARTIAL_RESULTS -> {
                if (pending > 0) {
                    yield QueryState.RUNNING;
                }
                if (failed == 0) {
                    yield QueryState.COMPLETE;
                }
                yield succeeded > 0 ? QueryState.PARTIAL : failure;
            }
            case FAIL_FAST -> {
                if (firstFailure != null) {
                    yield firstFailure == SourceOutcome.TIMEOUT ? QueryState.TIMED_OUT : QueryState.FAILED;
                }
                yield pending > 0 ? QueryState.RUNNING : QueryState.COMPLETE;
            }
            case MINIMUM_THRESHOLD -> {
                if (succeeded + pending < minimumSuccessThreshold) {
                    yield failure;
                }
                if (pending > 0) {
                    yield QueryState.RUNNING;
                }
                yield failed == 0 ? QueryState.COMPLETE : QueryState.PARTIAL;
            }
        };
    }
}
