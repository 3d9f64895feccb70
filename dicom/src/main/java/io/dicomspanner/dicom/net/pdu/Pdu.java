package io.dicomspanner.dicom.net.pdu;

/** A protocol data unit of the DICOM Upper Layer (PS3.8 §9.3): one immutable record per type. */
public sealed interface Pdu permits AAssociateRq, AAssociateAc, AAssociateRj, PDataTf, AReleaseRq, AReleaseRp, AAbort {
    PduType type();
}
