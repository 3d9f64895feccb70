package io.dicomspanner.gateway.audit;

import io.dicomspanner.gateway.validation.WireEnum;

public enum AuditAction implements WireEnum {
    CREATED("created"),
    UPDATED("updated"),
    DELETED("deleted"),
    REVOKED("revoked");

    private final String wire;

    AuditAction(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}
