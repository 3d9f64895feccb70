package io.dicomspanner.gateway.console;

import io.dicomspanner.common.audit.AuditOutcome;
import io.dicomspanner.common.audit.AuditRecord;
import io.dicomspanner.gateway.atna.GatewayAudit;
import io.dicomspanner.gateway.audit.AuditAction;
import io.dicomspanner.gateway.audit.AuditTrail;
import io.dicomspanner.gateway.audit.AuditedEntity;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * What the console adds to the gateway's audit trail, as the API's requests are audited: every sign-in (accepted or
 * refused, a refusal also as a failed login to the Audit Record Repository), every sign-out, every search and every
 * read of an answer. Objects carry ids and tokenized filters only, never a key or a clear PHI value.
 */
@Component
class ConsoleAudit {

    private final AuditTrail trail;
    private final GatewayAudit atna;
    private final Clock clock;

    ConsoleAudit(AuditTrail trail, GatewayAudit atna, Clock clock) {
        this.trail = trail;
        this.atna = atna;
        this.clock = clock;
    }

    /**
     * Refuses an audited act while the audit outbox is full.
     *
     * @throws io.dicomspanner.common.outbox.OutboxFullException then
     */
    void checkAdmission() {
        trail.checkAdmission();
    }

    void signedIn(ConsoleUser user, String address) {
        record(user, address, AuditedEntity.CONSOLE_SESSION, AuditAction.SIGNED_IN, AuditOutcome.SUCCESS, Map.of());
    }

    void signInRefused(String address, String reason) {
        atna.apiKeyRefused(address, "POST", ConsoleSecurityFilter.SIGN_IN, reason);
        record(
                null,
                address,
                AuditedEntity.CONSOLE_SESSION,
                AuditAction.REFUSED,
                AuditOutcome.REFUSED,
                Map.of("reason", reason));
    }

    void signedOut(ConsoleUser user, String address) {
        record(user, address, AuditedEntity.CONSOLE_SESSION, AuditAction.SIGNED_OUT, AuditOutcome.SUCCESS, Map.of());
    }

    /** A search the console started: {@code objects} names the query id, config, level and tokenized filters. */
    void searched(ConsoleUser user, String address, Map<String, Object> objects) {
        record(user, address, AuditedEntity.QUERY, AuditAction.SEARCHED, AuditOutcome.SUCCESS, objects);
    }

    /** A page of a query's answer shown. */
    void read(ConsoleUser user, String address, String queryId, int offset) {
        record(
                user,
                address,
                AuditedEntity.QUERY_RESULT,
                AuditAction.READ,
                AuditOutcome.SUCCESS,
                Map.of("query_id", queryId, "offset", offset));
    }

    /** A search of the query log: its date range and the Patient ID's token, never the Patient ID. */
    void queryLogSearched(ConsoleUser user, String address, Instant from, Instant to, String patientIdToken) {
        Map<String, Object> criteria = new LinkedHashMap<>();
        criteria.put("patient_id", patientIdToken);
        criteria.put("from", from == null ? null : from.toString());
        criteria.put("to", to == null ? null : to.toString());
        criteria.values().removeIf(Objects::isNull);
        record(
                user,
                address,
                AuditedEntity.QUERY_LOG,
                AuditAction.SEARCHED,
                AuditOutcome.SUCCESS,
                Map.of("criteria", criteria));
    }

    /** A query's whole answer exported as CSV. */
    void exported(ConsoleUser user, String address, String queryId, int rows) {
        record(
                user,
                address,
                AuditedEntity.QUERY_RESULT,
                AuditAction.READ,
                AuditOutcome.SUCCESS,
                Map.of("query_id", queryId, "export", "csv", "rows", rows));
    }

    private void record(
            ConsoleUser user,
            String address,
            AuditedEntity entity,
            AuditAction action,
            AuditOutcome outcome,
            Map<String, Object> details) {
        Map<String, Object> objects = new LinkedHashMap<>();
        objects.put("entry", "console");
        objects.putAll(details);
        trail.recordAccess(new AuditRecord(
                UUID.randomUUID(),
                clock.instant(),
                user == null ? "anonymous" : user.actor(),
                user == null ? null : user.keyId(),
                address,
                null,
                entity.wire(),
                null,
                action.wire(),
                outcome,
                objects));
    }
}
