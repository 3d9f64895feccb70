package io.dicomspanner.common.messaging;

/** The state of a spanning query as the status endpoint and the final answer report it. */
public enum QueryState {
    /** Sources are still being asked. */
    RUNNING,
    /** Every source answered. */
    COMPLETE,
    /** Some sources failed or timed out; the failure strategy accepted the rest. */
    PARTIAL,
    /** fail_fast: a source refused or failed. */
    FAILED,
    /** fail_fast / minimum_threshold: the deadline passed first. */
    TIMED_OUT,
    /** Cancelled by the caller. */
    CANCELLED;

    public boolean isFinal() {
        return this != RUNNING;
    }
}
