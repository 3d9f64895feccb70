package io.dicomspanner.gateway.audit;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** An audit event as the API shows it. */
public record AuditEventResponse(
        long id,
        Instant occurredAt,
        String actor,
        Long actorApiKeyId,
        String actorAddress,
        String entityType,
        long entityId,
        String action,
        JsonNode before,
        JsonNode after) {

    static AuditEventResponse of(AuditEvent event) {
        return new AuditEventResponse(
                event.getId(),
                event.getOccurredAt(),
                event.getActor(),
                event.getActorApiKeyId(),
                event.getActorAddress(),
                event.getEntityType(),
                event.getEntityId(),
                event.getAction(),
                event.getBefore(),
                event.getAfter());
    }
}
