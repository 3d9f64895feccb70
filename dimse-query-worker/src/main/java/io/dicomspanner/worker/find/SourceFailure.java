package io.dicomspanner.worker.find;

import io.dicomspanner.common.messaging.SourceOutcome;

/** Why a source's C-FIND did not end with a final response, as the outcome the coordinator is told. */
public final class SourceFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final SourceOutcome outcome;
    private final boolean retryable;

    public SourceFailure(SourceOutcome outcome, String reason, boolean retryable, Throwable cause) {
        super(reason, cause);
        this.outcome = outcome;
        this.retryable = retryable;
    }

    public SourceOutcome outcome() {
        return outcome;
    }

    /** A connection failure: another attempt may succeed (the PACS never answered). */
    public boolean isRetryable() {
        return retryable;
    }
}
