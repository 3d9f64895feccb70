package io.dicomspanner.gateway.audit;

/**
 * Published by {@link AuditTrail} for every audited change, in the change's transaction; listeners that keep copies
 * of admin data drop them after the commit ({@code @TransactionalEventListener}).
 */
public record AdminChanged(AuditedEntity entityType, long entityId) {}
