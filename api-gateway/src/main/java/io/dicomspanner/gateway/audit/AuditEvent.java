package io.dicomspanner.gateway.audit;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import tools.jackson.databind.JsonNode;

/** One change of configuration or one API key operation, with the state before and after it. */
@Entity
@Table(name = "audit_event")
public class AuditEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private Instant occurredAt;
    private String actor;
    private Long actorApiKeyId;
    private String actorAddress;
    private String entityType;
    private long entityId;
    private String action;

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
        this.occurredAt = occurredAt;
        this.actor = actor.name();
        this.actorApiKeyId = actor.apiKeyId();
        this.actorAddress = actor.address();
        this.entityType = entityType.wire();
        this.entityId = entityId;
        this.action = action.wire();
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

    public long getEntityId() {
        return entityId;
    }

    public String getAction() {
        return action;
    }

    public JsonNode getBefore() {
        return before;
    }

    public JsonNode getAfter() {
        return after;
    }
}
