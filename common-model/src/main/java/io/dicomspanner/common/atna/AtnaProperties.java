package io.dicomspanner.common.atna;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

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
@Validated
@ConfigurationProperties("spanner.audit.atna")
public record AtnaProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("localhost") @NotBlank String host,
        @DefaultValue("6514") @Min(1) @Max(65535) int port,
        @DefaultValue("tls") @NotNull Transport transport,
        String sslBundle,
        @DefaultValue("10000") @Min(1) int queueCapacity,
        String appName,
        String auditSourceId,
        String enterpriseSiteId,
        @DefaultValue("10") int facility,
        @DefaultValue("5s") @NotNull Duration connectTimeout,
        @DefaultValue("1s") @NotNull Duration reconnectMin,
        @DefaultValue("60s") @NotNull Duration reconnectMax,
        @DefaultValue("5s") @NotNull Duration shutdownTimeout) {

    /** How messages travel to the repository. */
    public enum Transport {
        TCP,
        TLS
    }

    /** The facility is 10 (authpriv) or 13 (log audit). */
    @AssertTrue(message = "must be 10 (authpriv) or 13 (log audit)")
    public boolean isFacilityKnown() {
        return facility == 10 || facility == 13;
    }

    /** Reconnection waits are positive and the first is not longer than the longest. */
    @AssertTrue(message = "reconnect-min must be positive and at most reconnect-max")
    public boolean isReconnectOrdered() {
        return reconnectMin == null
                || reconnectMax == null
                || (reconnectMin.toMillis() > 0 && reconnectMax.compareTo(reconnectMin) >= 0);
    }

    /** TLS needs the bundle that holds the repository's CA. */
    @AssertTrue(message = "ssl-bundle is required for transport tls (or set transport tcp)")
    public boolean isSslBundleGivenForTls() {
        return !enabled || transport != Transport.TLS || (sslBundle != null && !sslBundle.isBlank());
    }
}
