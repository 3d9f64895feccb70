package io.dicomspanner.dicom.net;

import io.dicomspanner.dicom.net.pdu.AAssociateRj;
import io.dicomspanner.dicom.net.pdu.AAssociateRq;
import java.net.SocketAddress;
import java.util.Optional;

/**
 * An acceptor's own rule on who may associate, applied after the server's AE title lists: empty to go on, or the
 * A-ASSOCIATE-RJ to answer (for example {@link AAssociateRj#calledAeTitleNotRecognized()}).
 */
@FunctionalInterface
public interface AssociationFilter {
    /** Runs on the event loop: must not block. */
    Optional<AAssociateRj> check(AAssociateRq request, SocketAddress remoteAddress);
}
