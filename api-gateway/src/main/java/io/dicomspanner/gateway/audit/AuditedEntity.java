package io.dicomspanner.gateway.audit;

import io.dicomspanner.gateway.validation.WireEnum;

/** The kinds of thing the audit trail records changes of. */
public enum AuditedEntity implements WireEnum {
    DICOM_SOURCE("dicom_source"),
    SPANNER_CONFIG("spanner_config"),
    SOURCE_MAPPING("source_mapping"),
    API_KEY("api_key");

    private final String wire;

    AuditedEntity(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}
