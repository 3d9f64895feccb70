package io.dicomspanner.common.messaging;

/** How a source's part of a query ended (or that it has not ended yet). */
public enum SourceOutcome {
    /** More batches follow. */
    RUNNING,
    /** The C-FIND ended with Success (0000). */
    SUCCESS,
    /** The PACS answered with a failure status (Axxx, Cxxx); not retried. */
    FAILED_STATUS,
    /** No association could be made (refused, reset, DNS, TLS) after the allowed retries. */
    CONNECTION_FAILED,
    /** The PACS rejected the association (A-ASSOCIATE-RJ) or the requested SOP class. */
    REFUSED,
    /** The deadline passed before the final response. */
    TIMEOUT,
    /** Skipped: the source's circuit breaker is open after repeated failures. */
    CIRCUIT_OPEN,
    /** Stopped on request (C-CANCEL at the entry, or the query ended). */
    CANCELLED;

    public boolean isFinal() {
        return this != RUNNING;
    }

    public boolean isSuccess() {
        return this == SUCCESS;
    }
}
