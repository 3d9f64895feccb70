package io.dicomspanner.worker.find;

import io.dicomspanner.common.messaging.SourceOutcome;

/**
 * {@link CFindFailedException} under its former name, which {@link io.dicomspanner.worker.adapt.QueryAdapter} still
 * throws; it goes once the adapter throws {@link CFindFailedException} itself.
 */
public final class SourceFailure extends CFindFailedException {
    private static final long serialVersionUID = 1L;

    public SourceFailure(SourceOutcome outcome, String reason, boolean retryable, Throwable cause) {
        super(outcome, reason, retryable, cause);
    }
}
