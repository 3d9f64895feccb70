package io.dicomspanner.gateway.audit;

import io.dicomspanner.gateway.validation.WireEnum;

public enum AuditAction implements WireEnum {
    CREATED,
    UPDATED,
    DELETED,
    REVOKED;
}
