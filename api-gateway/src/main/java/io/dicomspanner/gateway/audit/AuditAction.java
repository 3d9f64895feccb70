package io.dicomspanner.gateway.audit;

import io.dicomspanner.common.wire.WireEnum;

public enum AuditAction implements WireEnum {
    CREATED,
    UPDATED,
    DELETED,
    REVOKED;
}
