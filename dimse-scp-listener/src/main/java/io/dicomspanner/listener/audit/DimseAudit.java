package io.dicomspanner.listener.audit;

import io.dicomspanner.common.audit.AuditLog;
import io.dicomspanner.common.audit.AuditLogConfiguration;
import io.dicomspanner.common.audit.AuditOutcome;
import io.dicomspanner.common.audit.AuditRecord;
import io.dicomspanner.common.phi.PhiTokenizer;
import io.dicomspanner.common.phi.PhiTokenizerConfiguration;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.common.querylog.QueryLogWriter;
import io.dicomspanner.dicom.net.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;

/**
 * The listener's part of the audit trail: every C-FIND, whatever its outcome, and every refused association (called
 * or calling AE title, client certificate), each with the calling AE title, the client's address and, where one was
 * presented, the certificate subject. Filters are recorded as the query log records them: patient attributes as PHI
 * tokens. Events go through the common {@link AuditLog} and its outbox; while the outbox is full, C-FINDs are refused
 * with A700 ({@link #checkAdmission}).
 */
@Component
@Import({AuditLogConfiguration.class, PhiTokenizerConfiguration.class})
public class DimseAudit {

    private static final Logger log = LoggerFactory.getLogger(DimseAudit.class);

    private final AuditLog auditLog;
    private final PhiTokenizer tokenizer;
    private final Clock clock;

    public DimseAudit(AuditLog auditLog, PhiTokenizer tokenizer, Clock clock) {
        this.auditLog = auditLog;
        this.tokenizer = tokenizer;
        this.clock = clock;
    }

    /** Whether a C-FIND may be served: false while the audit outbox is full. */
    public boolean admits() {
        try {
            auditLog.checkAdmission();
            return true;
        } catch (RuntimeException e) {
            log.error("C-FIND refused: {}", e.getMessage());
            return false;
        }
    }

    /**
     * One C-FIND and how it ended.
     *
     * @param queryId its query id, null when it was refused before it had one
     * @param query the translated query, null when the identifier was refused
     * @param status the final DIMSE status
     */
    public void find(
            String callingAeTitle, SocketAddress remote, long configId, String queryId, SpanQuery query, int status) {
        Map<String, Object> objects = new LinkedHashMap<>();
        objects.put("config_id", configId);
        if (queryId != null) {
            objects.put("query_id", queryId);
        }
        if (query != null) {
            objects.put("level", query.level().name().toLowerCase(Locale.ROOT));
            objects.put("filters", QueryLogWriter.tokenizedFilters(tokenizer, query.keys()));
        }
        objects.put("status", String.format("%04X", status));
        AuditOutcome outcome = status == Status.SUCCESS || status == Status.CANCEL
                ? AuditOutcome.SUCCESS
                : status == Status.OUT_OF_RESOURCES && queryId == null ? AuditOutcome.REFUSED : AuditOutcome.FAILED;
        record(
                callingAeTitle,
                remote,
                null,
                "query",
                outcome == AuditOutcome.REFUSED ? "refused" : "searched",
                outcome,
                objects);
    }

    /** An association refused for its AE titles or its client certificate. */
    public void associationRefused(
            String callingAeTitle,
            String calledAeTitle,
            SocketAddress remote,
            String certificateSubject,
            String reason) {
        Map<String, Object> objects = new LinkedHashMap<>();
        objects.put("called_ae_title", calledAeTitle);
        objects.put("reason", reason);
        record(
                callingAeTitle,
                remote,
                certificateSubject,
                "dimse_association",
                "refused",
                AuditOutcome.REFUSED,
                objects);
    }

    /** A TLS handshake refused (no, expired or untrusted client certificate, not TLS at all): before any AE title. */
    public void handshakeRefused(SocketAddress remote, String reason) {
        Map<String, Object> objects = new LinkedHashMap<>();
        objects.put("reason", reason);
        record(null, remote, null, "dimse_association", "refused", AuditOutcome.REFUSED, objects);
    }

    private void record(
            String callingAeTitle,
            SocketAddress remote,
            String certificateSubject,
            String entityType,
            String action,
            AuditOutcome outcome,
            Map<String, Object> objects) {
        try {
            auditLog.record(new AuditRecord(
                    UUID.randomUUID(),
                    clock.instant(),
                    callingAeTitle == null ? "anonymous" : "ae:" + callingAeTitle,
                    null,
                    addressOf(remote),
                    certificateSubject,
                    entityType,
                    null,
                    action,
                    outcome,
                    objects));
        } catch (RuntimeException e) {
            // Counted in spanner_outbox_failures_total; the DIMSE answer has gone, only this trace is left to give.
            log.error("Audit event of {} {} by {} lost: {}", entityType, action, callingAeTitle, e.toString());
        }
    }

    private static String addressOf(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress()
                : remote == null ? null : String.valueOf(remote);
    }
}
