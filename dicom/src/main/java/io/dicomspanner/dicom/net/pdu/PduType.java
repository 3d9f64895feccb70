package io.dicomspanner.dicom.net.pdu;

/** The seven PDU types of the DICOM Upper Layer protocol (PS3.8 §9.3.1), with their one-byte codes. */
public enum PduType {
    A_ASSOCIATE_RQ(0x01),
    A_ASSOCIATE_AC(0x02),
    A_ASSOCIATE_RJ(0x03),
    P_DATA_TF(0x04),
    A_RELEASE_RQ(0x05),
    A_RELEASE_RP(0x06),
    A_ABORT(0x07);

    private final int code;

    PduType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type for a code, or {@code null} for a code PS3.8 does not define. */
    public static PduType ofCode(int code) {
        return code >= 1 && code <= 7 ? values()[code - 1] : null;
    }

    /** The name as PS3.8 writes it, for log lines: "A-ASSOCIATE-RQ". */
    @Override
    public String toString() {
        return name().replace('_', '-');
    }
}
