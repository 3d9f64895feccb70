package io.dicomspanner.dicom.net.pdu;

/** A-RELEASE-RP (PS3.8 §9.3.7): the answer to A-RELEASE-RQ; the requestor of the release then closes. */
public record AReleaseRp() implements Pdu {
    public static final AReleaseRp INSTANCE = new AReleaseRp();

    @Override
    public PduType type() {
        return PduType.A_RELEASE_RP;
    }
}
