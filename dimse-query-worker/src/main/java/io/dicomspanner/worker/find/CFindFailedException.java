package io.dicomspanner.worker.find;

import io.dicomspanner.common.messaging.SourceOutcome;

/**
 * A source's C-FIND that did not end with a final response (no association, the connection broke off, the deadline
 * passed, the query was cancelled before it was sent, no model of the source fits), as the outcome the coordinator is
 * told. A failure status from the PACS is not one: that C-FIND ended normally.
 */
public class CFindFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final SourceOutcome outcome;
    private final boolean retryable;

    public CFindFailedException(SourceOutcome outcome, String reason, boolean retryable, Throwable cause) {
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
