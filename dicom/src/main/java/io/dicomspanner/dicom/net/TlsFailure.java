package io.dicomspanner.dicom.net;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * A TLS handshake that failed, with the reason in a few words ({@link Reason}): what an operator needs to fix it,
 * where the JDK's own message ("PKIX path building failed: ...") says it in a paragraph. The one place that reads
 * JSSE's exceptions and alerts; {@link DicomClient} fails its connections with it.
 */
public final class TlsFailure extends DicomNetworkException {
    private static final long serialVersionUID = 1L;

    private static final Pattern ALERT = Pattern.compile("Received fatal alert: (\\w+)");

    /** Why a handshake failed, as far as this side can tell. */
    public enum Reason {
        /** The peer's certificate chain does not lead to a certificate this side trusts. */
        UNKNOWN_CA("unknown CA"),
        /** The peer's certificate (or one of its chain) has expired or is not valid yet. */
        CERTIFICATE_EXPIRED("certificate expired"),
        /** The peer's certificate does not name the host connected to. */
        HOST_NAME_MISMATCH("host name mismatch"),
        /** The peer requires a client certificate and this side presented none. */
        NO_CLIENT_CERTIFICATE("no client certificate accepted"),
        /** The peer refused the certificate this side presented (unknown CA, expired, revoked, not allowed). */
        CERTIFICATE_REFUSED("peer refused our certificate"),
        /** No TLS version or cipher suite both sides allow. */
        NO_COMMON_PROTOCOL("no common protocol or cipher"),
        /** The peer answered with something that is not TLS (a plain DICOM port, say). */
        NOT_TLS("the peer does not speak TLS"),
        /** The peer ended the handshake with an alert that names no certificate or protocol problem. */
        REFUSED_BY_PEER("the peer refused the handshake"),
        /** The peer closed the connection during the handshake, without telling why. */
        CLOSED_BY_PEER("the peer closed the connection"),
        /** The handshake did not finish within the connect timeout. */
        TIMED_OUT("no answer within the connect timeout"),
        /** Anything else: the summary quotes the JSSE message. */
        OTHER("TLS error");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        /** A few words: "unknown CA". */
        public String text() {
            return text;
        }
    }

    private final Reason reason;
    private final String summary;

    private TlsFailure(Reason reason, String detail, String peer, Throwable cause) {
        super((peer == null ? "TLS handshake failed: " : "TLS handshake with " + peer + " failed: ") + detail, cause);
        this.reason = reason;
        this.summary = "TLS handshake failed: " + detail;
    }

    public Reason reason() {
        return reason;
    }

    /**
     * "TLS handshake failed: unknown CA": what a query's status and a source's health show (the message adds the
     * peer's address).
     */
    public String summary() {
        return summary;
    }

    /**
     * The TLS failure behind {@code error}, if any exception of its causes is a JSSE one; {@code null} when none is.
     *
     * @param peer the address the handshake was with, for the message, or {@code null}
     */
    public static TlsFailure of(Throwable error, String peer) {
        return of(error, peer, null);
    }

    /**
     * As {@link #of(Throwable, String)}, told by the connection's engine whether this side presented a certificate:
     * over TLS 1.3 a server refuses a missing client certificate after the client finished its handshake, with an
     * alert (JSSE's {@code bad_certificate}) that alone cannot tell "none" from "not trusted".
     */
    public static TlsFailure of(Throwable error, String peer, SSLEngine engine) {
        for (Throwable e = error; e != null && e.getCause() != e; e = e.getCause()) {
            if (e instanceof TlsFailure t) {
                return t;
            }
        }
        SSLException ssl = null;
        for (Throwable e = error; e != null && e.getCause() != e; e = e.getCause()) {
            if (e instanceof SSLException s) {
                ssl = s;
                break;
            }
        }
        if (ssl == null) {
            return null;
        }
        Reason reason = reasonOf(ssl);
        if (reason == Reason.CERTIFICATE_REFUSED && engine != null && presentedNoCertificate(engine.getSession())) {
            reason = Reason.NO_CLIENT_CERTIFICATE;
        }
        String detail = reason == Reason.OTHER && ssl.getMessage() != null ? ssl.getMessage() : reason.text();
        return new TlsFailure(reason, detail, peer, ssl);
    }

    private static boolean presentedNoCertificate(SSLSession session) {
        // the null session of an unfinished handshake has no certificates either: it tells nothing
        return session != null
                && !"SSL_NULL_WITH_NULL_NULL".equals(session.getCipherSuite())
                && session.getLocalCertificates() == null;
    }

    /** What a JSSE exception (and its causes) says went wrong. */
    public static Reason reasonOf(Throwable ssl) {
        for (Throwable e = ssl; e != null && e.getCause() != e; e = e.getCause()) {
            if (e instanceof CertificateExpiredException || e instanceof CertificateNotYetValidException) {
                return Reason.CERTIFICATE_EXPIRED;
            }
            if (e instanceof CertPathValidatorException v) {
                if (v.getReason() == CertPathValidatorException.BasicReason.EXPIRED
                        || v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                    return Reason.CERTIFICATE_EXPIRED;
                }
                // a chain that ends at no trust anchor, or at a self-signed certificate whose signature is not ours
                return Reason.UNKNOWN_CA;
            }
            if (e instanceof CertPathBuilderException) {
                return Reason.UNKNOWN_CA;
            }
            String message = e.getMessage() == null ? "" : e.getMessage();
            if (message.startsWith("No subject alternative") || message.startsWith("No name matching")) {
                return Reason.HOST_NAME_MISMATCH;
            }
            Matcher alert = ALERT.matcher(message);
            if (alert.find()) {
                return fromAlert(alert.group(1));
            }
            String lower = message.toLowerCase(Locale.ROOT);
            if (lower.contains("unable to find valid certification path")) {
                return Reason.UNKNOWN_CA;
            }
            if (lower.contains("no appropriate protocol")
                    || lower.contains("no cipher suites in common")
                    || lower.contains("no negotiable cipher suite")
                    || lower.contains("protocol is disabled or cipher suites are inappropriate")) {
                return Reason.NO_COMMON_PROTOCOL;
            }
            if (lower.contains("unsupported or unrecognized ssl message") || lower.contains("not an ssl/tls record")) {
                return Reason.NOT_TLS;
            }
            if (lower.contains("handshake timed out")) {
                return Reason.TIMED_OUT;
            }
            if (lower.contains("remote host terminated the handshake")
                    || lower.contains("connection closed during handshake")
                    || lower.contains("closed while ssl/tls handshake was in progress")) {
                return Reason.CLOSED_BY_PEER;
            }
        }
        return Reason.OTHER;
    }

    /** A fatal alert the peer sent (RFC 8446 6.2): what it did not accept of this side. */
    private static Reason fromAlert(String alert) {
        return switch (alert) {
            case "certificate_required" -> Reason.NO_CLIENT_CERTIFICATE;
            case "bad_certificate",
                    "unsupported_certificate",
                    "certificate_revoked",
                    "certificate_expired",
                    "certificate_unknown",
                    "unknown_ca",
                    "access_denied" -> Reason.CERTIFICATE_REFUSED;
            case "protocol_version", "insufficient_security" -> Reason.NO_COMMON_PROTOCOL;
            // OpenSSL sends handshake_failure both for "no shared cipher" and for a missing client certificate
            default -> Reason.REFUSED_BY_PEER;
        };
    }
}
