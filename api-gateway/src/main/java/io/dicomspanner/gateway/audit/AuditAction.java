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
    MATCHING_OBSERVATION_FORGOTTEN;
}
