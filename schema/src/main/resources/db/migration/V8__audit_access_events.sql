-- The audit trail also records every access to PHI (searches, reads of query results and of the query log), every
-- refused request or association, and the drop of old query log partitions; not only admin changes.
--   event_id          the writer's id of the event: an entry retried from a service's outbox is inserted once only
--   outcome           success, refused or failed (admin changes: success)
--   objects           what was accessed, PHI values as PhiTokenizer tokens, never in clear text
--   actor_certificate the subject of the client certificate a DIMSE caller presented over TLS
-- An access names no single entity: entity_id is null then.
ALTER TABLE audit_event
    ADD COLUMN event_id          uuid,
    ADD COLUMN outcome           text NOT NULL DEFAULT 'success' CHECK (outcome IN ('success', 'refused', 'failed')),
    ADD COLUMN objects           jsonb,
    ADD COLUMN actor_certificate text,
    ALTER COLUMN entity_id DROP NOT NULL;

CREATE UNIQUE INDEX audit_event_event_id_idx ON audit_event (event_id);
CREATE INDEX audit_event_actor_idx ON audit_event (actor, id);
