package io.dicomspanner.common.querylog;

import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.wire.WireEnum;

/**
 * How a query ended, as the query log keeps it ({@code query_log.status}, the query-log API's {@code status}, in the
 * {@link WireEnum} form {@code completed}): a view of the final {@link QueryState} that keeps every kind of failure as
 * one. {@link #of} is the one mapping from the state; the writer of the log and the API both go through this type.
 */
public enum QueryLogStatus implements WireEnum {
    /** {@link QueryState#COMPLETE}: every source answered. */
    COMPLETED,
    /** {@link QueryState#PARTIAL}: some sources failed or timed out, and the failure strategy accepted the rest. */
    PARTIAL,
    /** {@link QueryState#FAILED}, {@link QueryState#TIMED_OUT} or {@link QueryState#CANCELLED}: no answer. */
    FAILED;

    /** The status a query that ended in {@code state} is logged with. */
    public static QueryLogStatus of(QueryState state) {
        return switch (state) {
            case COMPLETE -> COMPLETED;
            case PARTIAL -> PARTIAL;
            // A row is written once the query has ended; a query still RUNNING then has no answer to show.
            case RUNNING, FAILED, TIMED_OUT, CANCELLED -> FAILED;
        };
    }
}
