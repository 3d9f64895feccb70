package io.dicomspanner.gateway.audit;

import io.dicomspanner.common.wire.WireEnum;

/** The kinds of thing the audit trail records changes of. */
public enum AuditedEntity implements WireEnum {
    DICOM_SOURCE,
    SPANNER_CONFIG,
    SOURCE_MAPPING,
    API_KEY;
}
