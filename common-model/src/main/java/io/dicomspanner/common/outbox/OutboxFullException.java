package io.dicomspanner.common.outbox;

/** The outbox holds as many entries as it may: the request that would add one is refused (HTTP 503). */
public class OutboxFullException extends RuntimeException {

    public OutboxFullException(String outbox, int depth) {
        super("The " + outbox + " outbox holds " + depth + " entries waiting for PostgreSQL, its limit"
                + " (spanner.outbox.max-entries)");
    }
}
