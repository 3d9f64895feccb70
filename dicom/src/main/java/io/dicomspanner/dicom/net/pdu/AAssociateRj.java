package io.dicomspanner.dicom.net.pdu;

/**
 * A-ASSOCIATE-RJ (PS3.8 §9.3.4): why an association was refused. The meaning of {@code reason} depends on {@code
 * source}; {@link #toString()} spells out all three.
 */
public record AAssociateRj(int result, int source, int reason) implements Pdu {
    public static final int RESULT_REJECTED_PERMANENT = 1;
    public static final int RESULT_REJECTED_TRANSIENT = 2;

    public static final int SOURCE_SERVICE_USER = 1;
    public static final int SOURCE_SERVICE_PROVIDER_ACSE = 2;
    public static final int SOURCE_SERVICE_PROVIDER_PRESENTATION = 3;

    /** Reasons when the source is the service user. */
    public static final int REASON_NO_REASON_GIVEN = 1;

    public static final int REASON_APPLICATION_CONTEXT_NAME_NOT_SUPPORTED = 2;
    public static final int REASON_CALLING_AE_TITLE_NOT_RECOGNIZED = 3;
    public static final int REASON_CALLED_AE_TITLE_NOT_RECOGNIZED = 7;
    /** Reasons when the source is the service provider (ACSE related function). */
    public static final int REASON_PROTOCOL_VERSION_NOT_SUPPORTED = 2;
    /** Reasons when the source is the service provider (presentation related function). */
    public static final int REASON_TEMPORARY_CONGESTION = 1;

    public static final int REASON_LOCAL_LIMIT_EXCEEDED = 2;

    public AAssociateRj {
        checkByte(result, "result");
        checkByte(source, "source");
        checkByte(reason, "reason");
    }

    static void checkByte(int value, String what) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException(what + " " + value + " does not fit in a byte");
        }
    }

    public static AAssociateRj calledAeTitleNotRecognized() {
        return new AAssociateRj(RESULT_REJECTED_PERMANENT, SOURCE_SERVICE_USER, REASON_CALLED_AE_TITLE_NOT_RECOGNIZED);
    }

    public static AAssociateRj callingAeTitleNotRecognized() {
        return new AAssociateRj(RESULT_REJECTED_PERMANENT, SOURCE_SERVICE_USER, REASON_CALLING_AE_TITLE_NOT_RECOGNIZED);
    }

    public static AAssociateRj noReasonGiven() {
        return new AAssociateRj(RESULT_REJECTED_PERMANENT, SOURCE_SERVICE_USER, REASON_NO_REASON_GIVEN);
    }

    public static AAssociateRj applicationContextNotSupported() {
        return new AAssociateRj(
                RESULT_REJECTED_PERMANENT, SOURCE_SERVICE_USER, REASON_APPLICATION_CONTEXT_NAME_NOT_SUPPORTED);
    }

    public static AAssociateRj protocolVersionNotSupported() {
        return new AAssociateRj(
                RESULT_REJECTED_PERMANENT, SOURCE_SERVICE_PROVIDER_ACSE, REASON_PROTOCOL_VERSION_NOT_SUPPORTED);
    }

    /** Too many associations open at once: transient, the requestor may retry later. */
    public static AAssociateRj localLimitExceeded() {
        return new AAssociateRj(
                RESULT_REJECTED_TRANSIENT, SOURCE_SERVICE_PROVIDER_PRESENTATION, REASON_LOCAL_LIMIT_EXCEEDED);
    }

    @Override
    public PduType type() {
        return PduType.A_ASSOCIATE_RJ;
    }

    public boolean isTransient() {
        return result == RESULT_REJECTED_TRANSIENT;
    }

    /** "rejected-permanent, service-user: called-AE-title-not-recognized (1/1/7)". */
    @Override
    public String toString() {
        String r = switch (result) {
            case RESULT_REJECTED_PERMANENT -> "rejected-permanent";
            case RESULT_REJECTED_TRANSIENT -> "rejected-transient";
            default -> "result " + result;
        };
        String s;
        String why;
        switch (source) {
            case SOURCE_SERVICE_USER -> {
                s = "service-user";
                why = switch (reason) {
                    case REASON_NO_REASON_GIVEN -> "no-reason-given";
                    case REASON_APPLICATION_CONTEXT_NAME_NOT_SUPPORTED -> "application-context-name-not-supported";
                    case REASON_CALLING_AE_TITLE_NOT_RECOGNIZED -> "calling-AE-title-not-recognized";
                    case REASON_CALLED_AE_TITLE_NOT_RECOGNIZED -> "called-AE-title-not-recognized";
                    default -> "reason " + reason;
                };
            }
            case SOURCE_SERVICE_PROVIDER_ACSE -> {
                s = "service-provider (ACSE)";
                why = switch (reason) {
                    case REASON_NO_REASON_GIVEN -> "no-reason-given";
                    case REASON_PROTOCOL_VERSION_NOT_SUPPORTED -> "protocol-version-not-supported";
                    default -> "reason " + reason;
                };
            }
            case SOURCE_SERVICE_PROVIDER_PRESENTATION -> {
                s = "service-provider (presentation)";
                why = switch (reason) {
                    case REASON_TEMPORARY_CONGESTION -> "temporary-congestion";
                    case REASON_LOCAL_LIMIT_EXCEEDED -> "local-limit-exceeded";
                    default -> "reason " + reason;
                };
            }
            default -> {
                s = "source " + source;
                why = "reason " + reason;
            }
        }
        return r + ", " + s + ": " + why + " (" + result + "/" + source + "/" + reason + ")";
    }
}
