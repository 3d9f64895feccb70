package io.dicomspanner.common.messaging;

import java.util.Locale;

/**
 * The type of the durable shared queues of the {@link Topology} (span requests, task queues, dead letters), one setting
 * for every service: {@code spanner.messaging.queue-type}. Classic queues live on one broker node and are lost with it;
 * quorum queues are replicated (Raft) over the nodes of a cluster and survive the loss of a minority of them. The
 * per-instance exclusive queues (answers, results, cancel, health echo) stay classic whatever this says: quorum queues
 * cannot be exclusive or auto-delete.
 */
public enum QueueType {
    CLASSIC,
    QUORUM;

    /** The property every service reads. */
    public static final String PROPERTY = "spanner.messaging.queue-type";

    /** Reads {@code classic} or {@code quorum} (any case). */
    public static QueueType parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "classic" -> CLASSIC;
            case "quorum" -> QUORUM;
            default ->
                throw new IllegalArgumentException(PROPERTY + " must be 'classic' or 'quorum', not '" + value + "'");
        };
    }

    /** The value of the {@code x-queue-type} argument RabbitMQ reports for this type. */
    public String argument() {
        return name().toLowerCase(Locale.ROOT);
    }
}
