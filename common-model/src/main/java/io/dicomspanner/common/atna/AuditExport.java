package io.dicomspanner.common.atna;

/**
 * Sends audit messages to the hospital's Audit Record Repository (IHE ATNA). A bean of every service when
 * {@code spanner.audit.atna.enabled} is true; code that reports events asks for it with an {@code ObjectProvider} and
 * reports nothing when there is none.
 */
public interface AuditExport {

    /** Queues a message for sending; never waits for the network and never throws for a full queue (it is counted). */
    void send(AuditMessage message);

    /** This service as its audit messages name it. */
    ReportingApplication application();
}
