package io.dicomspanner.dicom.net;

import io.dicomspanner.dicom.net.pdu.AAssociateRq;
import io.dicomspanner.dicom.net.pdu.UserIdentityRq;

/**
 * Decides, as acceptor, whether the user identity a requestor offered (PS3.7 D.3.3.7) is good. A refused identity
 * rejects the association (A-ASSOCIATE-RJ permanent, service-user, no-reason-given).
 */
@FunctionalInterface
public interface UserIdentityVerifier {
    /** Runs on the event loop: must not block. */
    boolean verify(UserIdentityRq identity, AAssociateRq request);
}
