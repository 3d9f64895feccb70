package io.dicomspanner.common.atna;

import java.util.Objects;

/**
 * The service that reports audit events, as its messages name it: the application participant (its name, process id
 * and host) and its {@code AuditSourceIdentification}.
 *
 * @param appName the service's name: the syslog APP-NAME and the application participant's UserID
 * @param processId the operating system process id: the syslog PROCID and the AlternativeUserID
 * @param host the host name the service runs on: the syslog HOSTNAME and the NetworkAccessPointID
 * @param source the audit source identification
 */
public record ReportingApplication(String appName, String processId, String host, AuditSource source) {

    public ReportingApplication {
        Objects.requireNonNull(appName, "appName");
        Objects.requireNonNull(processId, "processId");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(source, "source");
    }

    /** The service itself as an active participant in {@code role}. */
    ActiveParticipant participant(boolean requestor, AuditCode role) {
        return ActiveParticipant.at(appName, processId, requestor, host, role);
    }
}
