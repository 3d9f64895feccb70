package io.dicomspanner.gateway.audit;

import io.dicomspanner.common.wire.WireEnum;

public enum AuditAction implements WireEnum {
    CREATED,
    UPDATED,
    DELETED,
    REVOKED,
    /** A capability probe of a DICOM source's matching keys was handed to its workers. */
    MATCHING_PROBE_REQUESTED,
    /** What was observed of one matching key of a DICOM source was forgotten. */
    MATCHING_OBSERVATION_FORGOTTEN,
    /** A search of PHI: a query, or the query log. */
    SEARCHED,
    /** A read of PHI by id: a query's status or results, a query log entry. */
    READ,
    /** A caller was not let in. */
    REFUSED,
    /** Old data was removed for its age. */
    DROPPED,
    /** A user signed in to the web console with an API key. */
    SIGNED_IN,
    /** A user signed out of the web console. */
    SIGNED_OUT;
}
