package io.dicomspanner.dicom.net.pdu;

/**
 * A-ABORT (PS3.8 §9.3.8): the association ends at once. With source {@link #SOURCE_SERVICE_USER} the reason is not
 * significant and sent as 0.
 */
public record AAbort(int source, int reason) implements Pdu {
    public static final int SOURCE_SERVICE_USER = 0;
    public static final int SOURCE_SERVICE_PROVIDER = 2;

    public static final int REASON_NOT_SPECIFIED = 0;
    public static final int REASON_UNRECOGNIZED_PDU = 1;
    public static final int REASON_UNEXPECTED_PDU = 2;
    public static final int REASON_UNRECOGNIZED_PDU_PARAMETER = 4;
    public static final int REASON_UNEXPECTED_PDU_PARAMETER = 5;
    public static final int REASON_INVALID_PDU_PARAMETER_VALUE = 6;

    public AAbort {
        AAssociateRj.checkByte(source, "source");
        AAssociateRj.checkByte(reason, "reason");
    }

    /** An abort by the service user (the application), reason not significant. */
    public static AAbort byServiceUser() {
        return new AAbort(SOURCE_SERVICE_USER, REASON_NOT_SPECIFIED);
    }

    /** An abort by the Upper Layer itself, for a protocol error. */
    public static AAbort byServiceProvider(int reason) {
        return new AAbort(SOURCE_SERVICE_PROVIDER, reason);
    }

    @Override
    public PduType type() {
        return PduType.A_ABORT;
    }

    /** "service-provider: unexpected-PDU (2/2)". */
    @Override
    public String toString() {
        String s = switch (source) {
            case SOURCE_SERVICE_USER -> "service-user";
            case SOURCE_SERVICE_PROVIDER -> "service-provider";
            default -> "source " + source;
        };
        String why = source == SOURCE_SERVICE_USER ? "not-significant" : reasonName(reason);
        return s + ": " + why + " (" + source + "/" + reason + ")";
    }

    static String reasonName(int reason) {
        return switch (reason) {
            case REASON_NOT_SPECIFIED -> "reason-not-specified";
            case REASON_UNRECOGNIZED_PDU -> "unrecognized-PDU";
            case REASON_UNEXPECTED_PDU -> "unexpected-PDU";
            case REASON_UNRECOGNIZED_PDU_PARAMETER -> "unrecognized-PDU-parameter";
            case REASON_UNEXPECTED_PDU_PARAMETER -> "unexpected-PDU-parameter";
            case REASON_INVALID_PDU_PARAMETER_VALUE -> "invalid-PDU-parameter-value";
            default -> "reason " + reason;
        };
    }
}
