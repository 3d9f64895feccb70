package io.dicomspanner.gateway.atna;

import io.dicomspanner.common.atna.AuditCode;
import io.dicomspanner.common.atna.AuditExport;
import io.dicomspanner.common.atna.AuditMessage;
import io.dicomspanner.common.atna.AuditMessages;
import io.dicomspanner.common.atna.EventOutcome;
import io.dicomspanner.common.atna.ParticipantObject;
import io.dicomspanner.common.atna.QueryText;
import io.dicomspanner.common.atna.ReportingApplication;
import io.dicomspanner.common.phi.PhiTokenizer;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.gateway.audit.AuditedEntity;
import java.time.Clock;
import java.util.Locale;
import java.util.function.Function;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * What the gateway reports to the Audit Record Repository (when {@code spanner.audit.atna.enabled}): every QIDO-RS
 * search as a Query, every refused API key as a failed User Authentication (Login), a key without the scope a path
 * needs as a Security Alert (Use of Restricted Function), and every admin change the audit trail commits as a
 * Security Alert (Network Configuration for sources, configs and mappings; User Security Attributes Changed for API
 * keys). Nothing is built when the export is off.
 */
@Component
public class GatewayAudit {

    private final ObjectProvider<AuditExport> export;
    private final PhiTokenizer tokenizer;
    private final Clock clock;

    public GatewayAudit(ObjectProvider<AuditExport> export, PhiTokenizer tokenizer, Clock clock) {
        this.export = export;
        this.tokenizer = tokenizer;
        this.clock = clock;
    }

    /** A QIDO-RS search the gateway accepted from an API key. */
    public void queried(SpanQuery query, String keyName, String address) {
        send(app -> AuditMessages.query(
                app,
                clock.instant(),
                EventOutcome.SUCCESS,
                "api-key:" + keyName,
                address,
                AuditMessages.STUDY_ROOT_FIND,
                QueryText.of(query, tokenizer)));
    }

    /** A request with no API key, or one unknown or revoked: a login that failed. */
    public void apiKeyRefused(String address, String method, String path, String reason) {
        send(app -> AuditMessages.userAuthentication(
                app,
                clock.instant(),
                AuditCode.LOGIN,
                EventOutcome.MINOR_FAILURE,
                "api-key:unknown",
                address,
                reason + " for " + method + " " + path));
    }

    /** A known API key asked for a path its scopes do not cover. */
    public void scopeRefused(String keyName, String address, String method, String path, String scope) {
        send(app -> AuditMessages.securityAlert(
                app,
                clock.instant(),
                AuditCode.USE_OF_RESTRICTED_FUNCTION,
                EventOutcome.MINOR_FAILURE,
                "API key lacks the '" + scope + "' scope for " + method + " " + path,
                "api-key:" + keyName,
                address,
                new ParticipantObject(
                        path,
                        AuditCode.URI,
                        ParticipantObject.SYSTEM_OBJECT,
                        ParticipantObject.SECURITY_RESOURCE,
                        null,
                        null)));
    }

    /** An admin change, once its transaction (and so its audit trail row) is committed. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    public void adminChanged(AuditRecorded change) {
        AuditCode type = change.entityType() == AuditedEntity.API_KEY
                ? AuditCode.USER_SECURITY_ATTRIBUTES_CHANGED
                : AuditCode.NETWORK_CONFIGURATION;
        String entity = change.entityType().name().toLowerCase(Locale.ROOT);
        send(app -> AuditMessages.securityAlert(
                app,
                change.at(),
                type,
                EventOutcome.SUCCESS,
                entity + " " + change.entityId() + " " + change.action().name().toLowerCase(Locale.ROOT),
                change.actor().name(),
                change.actor().address(),
                new ParticipantObject(
                        "urn:dicom-query-spanner:" + entity + ":" + change.entityId(),
                        AuditCode.URI,
                        ParticipantObject.SYSTEM_OBJECT,
                        ParticipantObject.MASTER_FILE,
                        null,
                        null)));
    }

    private void send(Function<ReportingApplication, AuditMessage> message) {
        AuditExport audit = export.getIfAvailable();
        if (audit != null) {
            audit.send(message.apply(audit.application()));
        }
    }
}
