package io.dicomspanner.common.span;

/**
 * The broker did not take a message: {@link #reason()} says why, so that each entry point can answer in its own terms
 * (a 503 with Retry-After at the gateway, A700 at the DIMSE listener). The message names no PHI.
 */
public class PublishRefusedException extends RuntimeException {

    /** Why a message was not taken. */
    public enum Reason {
        /** The broker refused it (nack): the queue is full and overflows with reject-publish. */
        QUEUE_FULL,
        /** No queue is bound for its routing key (mandatory publish returned): nobody consumes it, e.g. no coordinator. */
        UNROUTABLE,
        /** The broker did not confirm it within the confirm timeout. */
        NOT_CONFIRMED_IN_TIME,
        /** The confirm failed otherwise (the channel closed before it came). */
        NOT_CONFIRMED,
        /** The broker cannot be reached: nothing was sent. */
        BROKER_UNREACHABLE,
        /** The thread waiting for the confirm was interrupted. */
        INTERRUPTED
    }

    private final Reason reason;

    public PublishRefusedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
