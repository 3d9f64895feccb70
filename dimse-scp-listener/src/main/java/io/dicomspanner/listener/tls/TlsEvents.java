package io.dicomspanner.listener.tls;

import io.dicomspanner.listener.atna.ListenerAudit;
import io.dicomspanner.listener.audit.DimseAudit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.net.SocketAddress;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What happens at the TLS port, logged and counted: handshakes refused, by reason
 * ({@code spanner_listener_tls_handshake_failures_total{reason}}), associations accepted over TLS
 * ({@code spanner_listener_tls_associations_total}), and associations whose calling AE title the client certificate
 * may not use ({@code spanner_listener_tls_subject_rejections_total}). Addresses, AE titles and certificate subjects
 * are logged; none is PHI.
 */
@Component
public class TlsEvents {

    private static final Logger log = LoggerFactory.getLogger(TlsEvents.class);

    /** Why a handshake was refused: the metric's {@code reason} label. */
    public enum Reason {
        /** The client presented no certificate, and one is required. */
        NO_CLIENT_CERTIFICATE,
        /** The client's certificate is not issued by an authority the truststore holds. */
        UNKNOWN_CA,
        /** The client's certificate has expired (or is not valid yet). */
        EXPIRED,
        /** No TLS version or cipher suite both sides accept. */
        PROTOCOL,
        /** The client spoke plain DICOM (or something else) to the TLS port. */
        NOT_TLS,
        /** The handshake did not finish in time. */
        TIMEOUT,
        /** Anything else (the client gave up, a certificate the trust manager refused for another reason, ...). */
        OTHER;

        /** The label value: {@code unknown_ca}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<Reason, Counter> failures = new EnumMap<>(Reason.class);
    private final Counter accepted;
    private final Counter subjectRejections;
    private final ListenerAudit atna;
    private final DimseAudit audit;

    public TlsEvents(MeterRegistry meters, DimseAudit audit, ListenerAudit atna) {
        this.audit = audit;
        this.atna = atna;
        for (Reason reason : Reason.values()) {
            failures.put(
                    reason,
                    Counter.builder("spanner.listener.tls.handshake.failures")
                            .description("TLS handshakes refused at the DICOM TLS port, by reason")
                            .tag("reason", reason.label())
                            .register(meters));
        }
        accepted = Counter.builder("spanner.listener.tls.associations")
                .description("Associations accepted on the DICOM TLS port")
                .register(meters);
        subjectRejections = Counter.builder("spanner.listener.tls.subject.rejections")
                .description("Associations rejected because the client certificate may not use the calling AE title")
                .register(meters);
    }

    /** A refused handshake: logged (reason, remote address, the TLS layer's words) and counted. */
    public void handshakeFailed(SocketAddress remote, Throwable cause) {
        Reason reason = reason(cause);
        failures.get(reason).increment();
        log.warn("TLS handshake from {} refused: {} ({})", remote, reason.label(), cause.getMessage());
        audit.handshakeRefused(remote, "tls handshake: " + reason.label());
        atna.tlsRefused(remote, reason.label());
    }

    public void associationAccepted() {
        accepted.increment();
    }

    /** An association rejected by the calling AE → certificate subject rule: logged and counted. */
    public void subjectRejected(String callingAeTitle, String subject, SocketAddress remote) {
        subjectRejections.increment();
        log.warn(
                "Association from {} ({}) rejected: certificate subject '{}' may not call as this AE title",
                callingAeTitle,
                remote,
                subject);
        audit.associationRefused(
                callingAeTitle, null, remote, subject, "client certificate may not use the calling AE title");
    }

    /** The reason for a failed handshake, from the exception the TLS layer raised and its causes. */
    static Reason reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NotSslRecordException) {
                return Reason.NOT_TLS;
            }
            if (t instanceof SslHandshakeTimeoutException) {
                return Reason.TIMEOUT;
            }
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                return Reason.EXPIRED;
            }
            if (t instanceof CertPathValidatorException v
                    && (v.getReason() == CertPathValidatorException.BasicReason.EXPIRED
                            || v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID)) {
                return Reason.EXPIRED;
            }
            if (t instanceof CertPathBuilderException) {
                return Reason.UNKNOWN_CA;
            }
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (message.contains("Empty client certificate chain")) {
                return Reason.NO_CLIENT_CERTIFICATE;
            }
            if (message.contains("no cipher suites in common") || message.contains("protocol")) {
                return Reason.PROTOCOL;
            }
        }
        return Reason.OTHER;
    }
}
