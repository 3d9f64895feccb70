package io.dicomspanner.dicom.net;

import io.dicomspanner.dicom.net.pdu.AAssociateRj;

/** The peer answered A-ASSOCIATE-RQ with A-ASSOCIATE-RJ. */
public class AssociationRejectedException extends DicomNetworkException {
    private static final long serialVersionUID = 1L;

    private final transient AAssociateRj reject;

    public AssociationRejectedException(String message, AAssociateRj reject) {
        super(message + ": " + reject);
        this.reject = reject;
    }

    public AAssociateRj reject() {
        return reject;
    }
}
