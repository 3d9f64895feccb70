package io.dicomspanner.common.atna;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Export of audit messages to an Audit Record Repository ({@code spanner.audit.atna}), the same settings in every
 * service.
 *
 * @param enabled whether to send audit messages at all
 * @param host the Audit Record Repository's host
 * @param port its syslog port (6514 is the registered port of syslog over TLS)
 * @param transport {@code tls} (RFC 5425, what IHE ATNA requires between nodes) or {@code tcp} (RFC 6587, for a
 *     repository on the same host or a trusted network)
 * @param sslBundle the Spring SSL bundle ({@code spring.ssl.bundle.*}) whose truststore holds the repository's CA,
 *     and whose key, if it has one, is this node's client certificate; required for {@code tls}
 * @param queueCapacity messages waiting to be sent; beyond it a message is dropped, counted and logged
 * @param appName the syslog APP-NAME and the application's UserID; empty for {@code spring.application.name}
 * @param auditSourceId {@code AuditSourceID}; empty for the app name
 * @param enterpriseSiteId {@code AuditEnterpriseSiteID} (the hospital or site); empty to leave it out
 * @param facility the syslog facility: 10 (authpriv, the default) or 13 (log audit)
 * @param connectTimeout how long a connection (and TLS handshake) may take
 * @param reconnectMin the first wait before reconnecting after a failure
 * @param reconnectMax the longest wait between reconnection attempts
 * @param shutdownTimeout how long a stopping service keeps sending what is queued
 */
@ConfigurationProperties("spanner.audit.atna")
public record AtnaProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("localhost") String host,
        @DefaultValue("6514") int port,
        @DefaultValue("tls") Transport transport,
        String sslBundle,
        @DefaultValue("10000") int queueCapacity,
        String appName,
        String auditSourceId,
        String enterpriseSiteId,
        @DefaultValue("10") int facility,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("1s") Duration reconnectMin,
        @DefaultValue("60s") Duration reconnectMax,
        @DefaultValue("5s") Duration shutdownTimeout) {

    /** How messages travel to the repository. */
    public enum Transport {
        TCP,
        TLS
    }

    public AtnaProperties {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("spanner.audit.atna.port must be 1..65535, is " + port);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException(
                    "spanner.audit.atna.queue-capacity must be at least 1, is " + queueCapacity);
        }
        if (facility != 10 && facility != 13) {
            throw new IllegalArgumentException("spanner.audit.atna.facility must be 10 or 13, is " + facility);
        }
        if (reconnectMin.isNegative() || reconnectMin.isZero() || reconnectMax.compareTo(reconnectMin) < 0) {
            throw new IllegalArgumentException(
                    "spanner.audit.atna.reconnect-min must be positive and at most reconnect-max");
        }
        if (enabled && transport == Transport.TLS && (sslBundle == null || sslBundle.isBlank())) {
            throw new IllegalArgumentException(
                    "spanner.audit.atna.ssl-bundle is required for transport tls (or set transport tcp)");
        }
    }
}
