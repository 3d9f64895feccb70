package io.dicomspanner.common.atna;

import java.util.Objects;

/**
 * {@code AuditSourceIdentification}: the service that reports the event.
 *
 * @param auditSourceId the name the Audit Record Repository knows this service by
 * @param enterpriseSiteId the hospital or site, or {@code null}
 * @param typeCode {@code AuditSourceTypeCode}: {@code 4} application server process, {@code 3} web server process
 */
public record AuditSource(String auditSourceId, String enterpriseSiteId, String typeCode) {

    /** Application server process (RFC 3881 audit source type 4). */
    public static final String APPLICATION_SERVER = "4";

    public AuditSource {
        Objects.requireNonNull(auditSourceId, "auditSourceId");
        Objects.requireNonNull(typeCode, "typeCode");
    }
}
