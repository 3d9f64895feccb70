package io.dicomspanner.dicom.net;

import io.dicomspanner.dicom.net.pdu.AAssociateRj;
import io.dicomspanner.dicom.net.pdu.AAssociateRq;
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * An acceptor's own rule on who may associate, applied after the server's AE title lists: empty to go on, or the
 * A-ASSOCIATE-RJ to answer (for example {@link AAssociateRj#calledAeTitleNotRecognized()}).
 */
@FunctionalInterface
public interface AssociationFilter {
    /** Runs on the event loop: must not block. */
    Optional<AAssociateRj> check(AAssociateRq request, SocketAddress remoteAddress);

    /**
     * The check with what TLS proved of the requestor: the certificate chain it presented, verified against the
     * server's trusted authorities during the handshake, its own certificate first. Empty on a plain connection, or
     * over TLS without client authentication. A rule on certificate subjects overrides this; by default it is
     * {@link #check(AAssociateRq, SocketAddress)}. Runs on the event loop: must not block.
     */
    default Optional<AAssociateRj> check(
            AAssociateRq request, SocketAddress remoteAddress, List<X509Certificate> peerCertificates) {
        return check(request, remoteAddress);
    }
}
