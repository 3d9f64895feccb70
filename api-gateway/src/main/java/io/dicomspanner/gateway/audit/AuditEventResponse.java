package io.dicomspanner.gateway.audit;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * An audit event as the API shows it.
 *
 * @param entityId null for an event that names no single entity (a search, a refused request)
 * @param outcome success, refused or failed
 * @param objects what an access concerned (query id, config, tokenized filters, HTTP status); null for admin changes
 * @param actorCertificate the TLS client certificate subject of a DIMSE caller
 */
public record AuditEventResponse(
        long id,
        Instant occurredAt,
        String actor,
        Long actorApiKeyId,
        String actorAddress,
        String actorCertificate,
        String entityType,
        Long entityId,
        String action,
        String outcome,
        JsonNode objects,
        JsonNode before,
        JsonNode after) {

    static AuditEventResponse of(AuditEvent event) {
        return new AuditEventResponse(
                event.getId(),
                event.getOccurredAt(),
                event.getActor(),
                event.getActorApiKeyId(),
                event.getActorAddress(),
                event.getActorCertificate(),
                event.getEntityType(),
                event.getEntityId(),
                event.getAction(),
                event.getOutcome(),
                event.getObjects(),
                event.getBefore(),
                event.getAfter());
    }
}
