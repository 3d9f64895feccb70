package io.dicomspanner.common.audit;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One access to PHI, one refused caller, or one maintenance act, as every service hands it to the {@link AuditLog}
 * (and, when PostgreSQL is away, as its outbox keeps it). It never carries PHI in clear text: {@code objects} holds
 * patient attributes only as {@code PhiTokenizer} tokens.
 *
 * @param eventId the event's id; a retried insert of the same id adds nothing
 * @param occurredAt when it happened
 * @param actor who acted: {@code api-key:NAME}, {@code ae:CALLING_AE}, {@code anonymous} or {@code system:WHAT}
 * @param actorApiKeyId the API key's id, when a key was presented and known
 * @param actorAddress the client's IP address, as the service resolved it (behind a trusted proxy: the real client)
 * @param actorCertificate the subject of the TLS client certificate a DIMSE caller presented
 * @param entityType what was accessed: {@code query}, {@code query_result}, {@code query_log}, ...
 * @param entityId the id of that thing when it has a numeric one (a config, a key), else null
 * @param action what was done: {@code searched}, {@code read}, {@code refused}, {@code dropped}, ...
 * @param outcome how it ended
 * @param objects the details: query id, config, level, tokenized filters, status code, reason
 */
public record AuditRecord(
        UUID eventId,
        Instant occurredAt,
        String actor,
        Long actorApiKeyId,
        String actorAddress,
        String actorCertificate,
        String entityType,
        Long entityId,
        String action,
        AuditOutcome outcome,
        Map<String, Object> objects) {

    public AuditRecord {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(entityType, "entityType");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
        objects = objects == null ? Map.of() : objects;
    }
}
