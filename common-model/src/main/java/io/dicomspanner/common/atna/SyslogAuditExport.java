package io.dicomspanner.common.atna;

import java.time.Clock;
import java.time.Duration;
import org.springframework.context.SmartLifecycle;

/**
 * The {@link AuditExport} of a service: writes each message as XML in an RFC 5424 frame and hands it to its
 * {@link SyslogSender}. As a lifecycle it reports the service's Application Start when the context starts and its
 * Application Stop when it stops, then sends what is queued for at most the shutdown timeout. Its phase is early, so it
 * starts before and stops after the servers and listeners whose events it reports.
 */
public class SyslogAuditExport implements AuditExport, SmartLifecycle {

    /** Starts before and stops after every server and message listener. */
    public static final int PHASE = Integer.MIN_VALUE + 1000;

    private final ReportingApplication application;
    private final SyslogSender sender;
    private final int facility;
    private final Duration shutdownTimeout;
    private final Clock clock;
    private volatile boolean running;

    public SyslogAuditExport(
            ReportingApplication application,
            SyslogSender sender,
            int facility,
            Duration shutdownTimeout,
            Clock clock) {
        this.application = application;
        this.sender = sender;
        this.facility = facility;
        this.shutdownTimeout = shutdownTimeout;
        this.clock = clock;
    }

    @Override
    public void send(AuditMessage message) {
        int severity = message.event().outcome() == EventOutcome.SUCCESS ? SyslogFormat.NOTICE : SyslogFormat.WARNING;
        byte[] syslog = SyslogFormat.message(
                facility,
                severity,
                message.event().dateTime(),
                application.host(),
                application.appName(),
                application.processId(),
                AuditMessageWriter.toXml(message));
        sender.offer(SyslogFormat.octetCounted(syslog));
    }

    @Override
    public ReportingApplication application() {
        return application;
    }

    /** Messages queued and not yet sent. */
    public int backlog() {
        return sender.backlog();
    }

    @Override
    public void start() {
        sender.start();
        running = true;
        send(AuditMessages.applicationActivity(application, clock.instant(), AuditCode.APPLICATION_START));
    }

    @Override
    public void stop() {
        send(AuditMessages.applicationActivity(application, clock.instant(), AuditCode.APPLICATION_STOP));
        running = false;
        sender.close(shutdownTimeout);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
