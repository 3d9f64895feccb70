package io.dicomspanner.dicom.net.pdu;

/** A-RELEASE-RQ (PS3.8 §9.3.6): the sender wants to end the association in an orderly way. */
public record AReleaseRq() implements Pdu {
    public static final AReleaseRq INSTANCE = new AReleaseRq();

    @Override
    public PduType type() {
        return PduType.A_RELEASE_RQ;
    }
}
