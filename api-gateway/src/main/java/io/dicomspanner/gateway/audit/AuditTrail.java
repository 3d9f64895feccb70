package io.dicomspanner.gateway.audit;

import io.dicomspanner.common.audit.AuditLog;
import io.dicomspanner.common.audit.AuditRecord;
import io.dicomspanner.common.outbox.OutboxFullException;
import io.dicomspanner.gateway.atna.AuditRecorded;
import io.dicomspanner.gateway.error.InvalidRequestException;
import java.time.Clock;
import java.time.Instant;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's audit trail. Admin changes ({@link #record}) are recorded in the caller's transaction, so a change and its audit event are committed together or not at
 * all. Snapshots are the API representation of the thing (snake_case JSON), never a secret, and carry PHI only as
 * tokens: callers pass snapshots already made safe. Accesses to PHI and refusals ({@link #recordAccess}) go through
 * the common {@link AuditLog} and its outbox.
 */
@Service
public class AuditTrail {

    private final AuditEventRepository events;
    private final JsonMapper jsonMapper;
    private final Clock clock;
    private final ApplicationEventPublisher publisher;
    private final AuditLog accessLog;

    public AuditTrail(
            AuditEventRepository events,
            JsonMapper jsonMapper,
            Clock clock,
            ApplicationEventPublisher publisher,
            AuditLog accessLog) {
        this.events = events;
        this.jsonMapper = jsonMapper;
        this.clock = clock;
        this.publisher = publisher;
        this.accessLog = accessLog;
    }

    /**
     * Records an access to PHI, a refused request or a maintenance act, outside any transaction: in PostgreSQL, or
     * while PostgreSQL is away in the audit outbox, to be inserted once it is back.
     *
     * @throws OutboxFullException when the event could be neither inserted nor kept
     */
    public void recordAccess(AuditRecord event) {
        accessLog.record(event);
    }

    /**
     * Records a maintenance act in the caller's transaction, so that the act and its event commit together or not at
     * all (no outbox: the act is retried whole).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void recordInTransaction(AuditRecord event) {
        accessLog.recordNow(event);
    }

    /**
     * Refuses a request that would be audited while the audit outbox is full.
     *
     * @throws OutboxFullException then
     */
    public void checkAdmission() {
        accessLog.checkAdmission();
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void record(
            Actor actor, AuditedEntity entityType, long entityId, AuditAction action, Object before, Object after) {
        Instant at = clock.instant();
        events.save(new AuditEvent(at, actor, entityType, entityId, action, snapshot(before), snapshot(after)));
        publisher.publishEvent(new AdminChanged(entityType, entityId));
        // IHE ATNA export (gateway.atna), sent once the transaction commits
        publisher.publishEvent(new AuditRecorded(at, actor, entityType, entityId, action));
    }

    /** Events of one kind of entity, of one entity, or all; {@code entityId} needs {@code entityType}. */
    @Transactional(readOnly = true)
    public Page<AuditEventResponse> events(String entityType, Long entityId, Pageable pageable) {
        if (entityType == null && entityId != null) {
            throw new InvalidRequestException("entity_id", "needs entity_type: ids are only unique within one type");
        }
        Page<AuditEvent> found = entityType == null
                ? events.findAll(pageable)
                : entityId == null
                        ? events.findByEntityType(entityType, pageable)
                        : events.findByEntityTypeAndEntityId(entityType, entityId, pageable);
        return found.map(AuditEventResponse::of);
    }

    private JsonNode snapshot(Object state) {
        return state == null ? null : jsonMapper.valueToTree(state);
    }
}
