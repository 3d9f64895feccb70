package io.dicomspanner.dicom.net;

import io.dicomspanner.dicom.net.pdu.AeTitles;
import java.util.Objects;

/**
 * A remote application entity as this side calls it: network address, the AE titles on both ends, whether the
 * connection uses TLS, and whether the peer's certificate must name its host. The key of an {@link
 * io.dicomspanner.dicom.net.pool.AssociationPool}: the same PACS with and without the host-name check is two peers.
 *
 * @param verifyHostname {@code false} turns the client context's host-name check off for this peer (a PACS known by
 *     an address its certificate does not name); {@code true} leaves it to the context
 */
public record DicomPeer(
        String host, int port, String calledAeTitle, String callingAeTitle, boolean tls, boolean verifyHostname) {
    public DicomPeer {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1-65535");
        }
        AeTitles.requireValid(calledAeTitle, "called AE title");
        AeTitles.requireValid(callingAeTitle, "calling AE title");
    }

    /** A peer whose host-name check, over TLS, is the client context's. */
    public DicomPeer(String host, int port, String calledAeTitle, String callingAeTitle, boolean tls) {
        this(host, port, calledAeTitle, callingAeTitle, tls, true);
    }

    /** "SPANNER -> PACS@10.0.0.5:104 (TLS)" for log lines. */
    @Override
    public String toString() {
        return callingAeTitle + " -> " + calledAeTitle + "@" + host + ":" + port
                + (tls ? (verifyHostname ? " (TLS)" : " (TLS, host name not checked)") : "");
    }
}
