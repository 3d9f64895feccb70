package io.dicomspanner.common.atna;

import java.util.Arrays;
import java.util.Objects;

/**
 * {@code ParticipantObjectIdentification}: what the event was about. Never carries PHI in clear text: an id or a query
 * that would name a patient is written with PHI values replaced by their tokens.
 *
 * @param id {@code ParticipantObjectID}
 * @param idTypeCode what kind of id it is (SOP Class UID, URI, ...)
 * @param typeCode {@code ParticipantObjectTypeCode} ({@code 1} person ... {@code 4} other), or {@code null}
 * @param typeCodeRole {@code ParticipantObjectTypeCodeRole} ({@code 3} report, {@code 13} security resource, ...), or
 *     {@code null}
 * @param name {@code ParticipantObjectName}, or {@code null}; never together with a query
 * @param query the bytes of {@code ParticipantObjectQuery} (written base64), or {@code null}
 */
public record ParticipantObject(
        String id, AuditCode idTypeCode, Integer typeCode, Integer typeCodeRole, String name, byte[] query) {

    /** System object (RFC 3881 participant object type 2). */
    public static final int SYSTEM_OBJECT = 2;
    /** Report (role 3): DICOM's role of the query object. */
    public static final int REPORT = 3;
    /** Security resource (role 13). */
    public static final int SECURITY_RESOURCE = 13;
    /** Master file (role 5): a configuration table. */
    public static final int MASTER_FILE = 5;

    public ParticipantObject {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(idTypeCode, "idTypeCode");
        if (name != null && query != null) {
            throw new IllegalArgumentException("a participant object has a name or a query, not both");
        }
        query = query == null ? null : query.clone();
    }

    @Override
    public byte[] query() {
        return query == null ? null : query.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParticipantObject other
                && id.equals(other.id)
                && idTypeCode.equals(other.idTypeCode)
                && Objects.equals(typeCode, other.typeCode)
                && Objects.equals(typeCodeRole, other.typeCodeRole)
                && Objects.equals(name, other.name)
                && Arrays.equals(query, other.query);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, idTypeCode, typeCode, typeCodeRole, name, Arrays.hashCode(query));
    }

    @Override
    public String toString() {
        return "ParticipantObject[id=" + id + ", idTypeCode=" + idTypeCode.code() + ", typeCode=" + typeCode
                + ", typeCodeRole=" + typeCodeRole + ", name=" + name + ", query="
                + (query == null ? "null" : query.length + " bytes") + "]";
    }
}
