package io.dicomspanner.common.audit;

import io.dicomspanner.common.outbox.FileOutbox;
import io.dicomspanner.common.outbox.OutboxFullException;
import io.dicomspanner.common.outbox.OutboxProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes {@link AuditRecord}s to {@code audit_event}, through the service's {@code audit} outbox: an event PostgreSQL
 * cannot take now is kept on disk and inserted later, exactly once (by its {@code event_id}). A service refuses work
 * it would have to audit while the outbox is full ({@link #checkAdmission}).
 */
public class AuditLog implements AutoCloseable {

    /** Only ever writes maps of strings, numbers and lists: the services' own mapper settings do not apply. */
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final FileOutbox<AuditRecord> outbox;

    public AuditLog(JdbcClient jdbc, OutboxProperties outbox, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.outbox = new FileOutbox<>("audit", outbox, AuditRecord.class, JSON, this::insert, registry);
    }

    /**
     * Records the event in PostgreSQL, or in the outbox for a later insert.
     *
     * @throws OutboxFullException when it could be neither inserted nor kept
     */
    public void record(AuditRecord event) {
        outbox.send(event);
    }

    /**
     * Inserts the event now, in the caller's transaction if there is one, without the outbox: for an act that must
     * not happen unless its event is recorded with it (it fails and is retried whole).
     *
     * @throws org.springframework.dao.DataAccessException when PostgreSQL did not take it
     */
    public void recordNow(AuditRecord event) {
        insert(event);
    }

    /**
     * Refuses work that would be audited while the outbox is full.
     *
     * @throws OutboxFullException then
     */
    public void checkAdmission() {
        outbox.checkAdmission();
    }

    /** The outbox, for its depth and for tests that drain it at once. */
    public FileOutbox<AuditRecord> outbox() {
        return outbox;
    }

    void insert(AuditRecord event) {
        jdbc.sql("""
                        insert into audit_event (event_id, occurred_at, actor, actor_api_key_id, actor_address,
                            actor_certificate, entity_type, entity_id, action, outcome, objects)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
                        on conflict (event_id) do nothing
                        """)
                .params(
                        event.eventId(),
                        Timestamp.from(event.occurredAt()),
                        event.actor(),
                        event.actorApiKeyId(),
                        event.actorAddress(),
                        event.actorCertificate(),
                        event.entityType(),
                        event.entityId(),
                        event.action(),
                        event.outcome().wire(),
                        JSON.writeValueAsString(event.objects()))
                .update();
    }

    @Override
    public void close() {
        outbox.close();
    }
}
