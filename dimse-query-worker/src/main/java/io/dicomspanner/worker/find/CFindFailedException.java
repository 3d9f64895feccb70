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
    private final boolean saysNothingAboutSource;

    public CFindFailedException(SourceOutcome outcome, String reason, boolean retryable, Throwable cause) {
        this(outcome, reason, retryable, cause, false);
    }

    private CFindFailedException(
            SourceOutcome outcome, String reason, boolean retryable, Throwable cause, boolean saysNothingAboutSource) {
        super(reason, cause);
        this.outcome = outcome;
        this.retryable = retryable;
        this.saysNothingAboutSource = saysNothingAboutSource;
    }

    /**
     * The deadline passed while the C-FIND waited for one of the source's associations, all in use by the fleet: a
     * timeout the spanner's own limit caused, which says nothing about whether the PACS answers (its circuit is not
     * touched).
     */
    public static CFindFailedException timedOutWaitingForAssociation(String reason) {
        return new CFindFailedException(SourceOutcome.TIMEOUT, reason, false, null, true);
    }

    /**
     * The task's deadline passed before its C-FIND could be sent (it waited for a worker thread, or for an association
     * and then for its turn on it): like {@link #timedOutWaitingForAssociation}, this says nothing about the PACS.
     */
    public static CFindFailedException deadlinePassedBeforeStart() {
        return new CFindFailedException(
                SourceOutcome.TIMEOUT, "the deadline passed before the C-FIND started", false, null, true);
    }

    /** True when the source was never asked: the failure is the spanner's, not the PACS's. */
    public boolean saysNothingAboutSource() {
        return saysNothingAboutSource;
    }

    public SourceOutcome outcome() {
        return outcome;
    }

    /** A connection failure: another attempt may succeed (the PACS never answered). */
    public boolean isRetryable() {
        return retryable;
    }
}
