package io.dicomspanner.dicom.net;

import io.dicomspanner.dicom.net.pdu.AeTitles;
import java.util.Objects;

/**
 * A remote application entity as this side calls it: network address, the AE titles on both ends, and whether the
 * connection uses TLS. The key of an {@link io.dicomspanner.dicom.net.pool.AssociationPool}.
 */
public record DicomPeer(String host, int port, String calledAeTitle, String callingAeTitle, boolean tls) {
    public DicomPeer {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1-65535");
        }
        AeTitles.requireValid(calledAeTitle, "called AE title");
        AeTitles.requireValid(callingAeTitle, "calling AE title");
    }

    /** "SPANNER -> PACS@10.0.0.5:104 (TLS)" for log lines. */
    @Override
    public String toString() {
        return callingAeTitle + " -> " + calledAeTitle + "@" + host + ":" + port + (tls ? " (TLS)" : "");
    }
}
