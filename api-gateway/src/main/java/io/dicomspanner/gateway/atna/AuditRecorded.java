package io.dicomspanner.gateway.atna;

import io.dicomspanner.gateway.audit.Actor;
import io.dicomspanner.gateway.audit.AuditAction;
import io.dicomspanner.gateway.audit.AuditedEntity;
import java.time.Instant;

/** An admin change the audit trail recorded, published in the change's transaction for the audit export. */
public record AuditRecorded(Instant at, Actor actor, AuditedEntity entityType, long entityId, AuditAction action) {}
