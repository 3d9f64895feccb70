package io.dicomspanner.gateway.audit;

import io.dicomspanner.common.audit.AuditOutcome;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import tools.jackson.databind.JsonNode;

/**
 * One change of configuration or one API key operation, with the state before and after it; or one access to PHI,
 * refusal or maintenance act (written by the common {@code AuditLog}), with its outcome and the objects concerned.
 */
@Entity
@Table(name = "audit_event")
public class AuditEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private UUID eventId;

    private Instant occurredAt;
    private String actor;
    private Long actorApiKeyId;
    private String actorAddress;
    private String entityType;
    private Long entityId;
    private String action;
    private String outcome;
    private String actorCertificate;

    @JdbcTypeCode(SqlTypes.JSON)
    private JsonNode objects;

    @JdbcTypeCode(SqlTypes.JSON)
    private JsonNode before;

    @JdbcTypeCode(SqlTypes.JSON)
    private JsonNode after;

    protected AuditEvent() {}

    AuditEvent(
            Instant occurredAt,
            Actor actor,
            AuditedEntity entityType,
            long entityId,
            AuditAction action,
            JsonNode before,
            JsonNode after) {
        this.eventId = UUID.randomUUID();
        this.occurredAt = occurredAt;
        this.actor = actor.name();
        this.actorApiKeyId = actor.apiKeyId();
        this.actorAddress = actor.address();
        this.entityType = entityType.wire();
        this.entityId = entityId;
        this.action = action.wire();
        this.outcome = AuditOutcome.SUCCESS.wire();
        this.before = before;
        this.after = after;
    }

    public Long getId() {
        return id;
    }

    public Instant getOccurredAt() {
        return occurredAt;
    }

    public String getActor() {
        return actor;
    }

    public Long getActorApiKeyId() {
        return actorApiKeyId;
    }

    public String getActorAddress() {
        return actorAddress;
    }

    public String getEntityType() {
        return entityType;
    }

    public Long getEntityId() {
        return entityId;
    }

    public String getAction() {
        return action;
    }

    public String getOutcome() {
        return outcome;
    }

    public String getActorCertificate() {
        return actorCertificate;
    }

    public JsonNode getObjects() {
        return objects;
    }

    public JsonNode getBefore() {
        return before;
    }

    public JsonNode getAfter() {
        return after;
    }
}
