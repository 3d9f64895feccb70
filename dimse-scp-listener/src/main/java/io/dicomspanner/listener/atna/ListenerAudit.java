package io.dicomspanner.listener.atna;

import io.dicomspanner.common.atna.AuditCode;
import io.dicomspanner.common.atna.AuditExport;
import io.dicomspanner.common.atna.AuditMessages;
import io.dicomspanner.common.atna.EventOutcome;
import io.dicomspanner.common.atna.QueryText;
import io.dicomspanner.common.phi.PhiTokenizer;
import io.dicomspanner.common.query.SpanQuery;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * What the listener reports to the Audit Record Repository (when {@code spanner.audit.atna.enabled}): every C-FIND it
 * accepts as a Query (the calling AE title as requestor, the C-FIND's SOP class, the query with PHI as tokens) and
 * every TLS handshake it refuses as a Security Alert (Node Authentication). Nothing is built when the export is off.
 */
@Component
public class ListenerAudit {

    private final ObjectProvider<AuditExport> export;
    private final ObjectProvider<PhiTokenizer> tokenizer;
    private final Clock clock;

    public ListenerAudit(ObjectProvider<AuditExport> export, ObjectProvider<PhiTokenizer> tokenizer, Clock clock) {
        this.export = export;
        this.tokenizer = tokenizer;
        this.clock = clock;
    }

    /** A C-FIND accepted from {@code callingAeTitle}. */
    public void queried(SpanQuery query, String callingAeTitle, SocketAddress remote, String sopClassUid) {
        AuditExport audit = export.getIfAvailable();
        if (audit != null) {
            audit.send(AuditMessages.query(
                    audit.application(),
                    clock.instant(),
                    EventOutcome.SUCCESS,
                    callingAeTitle,
                    address(remote),
                    sopClassUid,
                    QueryText.of(query, tokenizer.getObject())));
        }
    }

    /** A TLS handshake refused at the DICOM TLS port, for {@code reason} (a TlsEvents reason label). */
    public void tlsRefused(SocketAddress remote, String reason) {
        AuditExport audit = export.getIfAvailable();
        if (audit != null) {
            String address = address(remote);
            audit.send(AuditMessages.securityAlert(
                    audit.application(),
                    clock.instant(),
                    AuditCode.NODE_AUTHENTICATION,
                    EventOutcome.MINOR_FAILURE,
                    "TLS handshake refused: " + reason,
                    address == null ? "unknown" : address,
                    address,
                    null));
        }
    }

    private static String address(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress()
                : null;
    }
}
