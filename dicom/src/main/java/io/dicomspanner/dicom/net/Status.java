package io.dicomspanner.dicom.net;

/** DIMSE status codes (PS3.7 Annex C; C-FIND specific ones from PS3.4 C.4.1.1.4), and how to classify them. */
public final class Status {
    public static final int SUCCESS = 0x0000;
    /** Matches are continuing; the identifier holds one match. */
    public static final int PENDING = 0xFF00;
    /** Matches are continuing, but one or more optional keys were not supported for existence or matching. */
    public static final int PENDING_WARNING = 0xFF01;
    /** Matching terminated due to C-CANCEL. */
    public static final int CANCEL = 0xFE00;

    public static final int OUT_OF_RESOURCES = 0xA700;
    public static final int IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS = 0xA900;
    public static final int UNABLE_TO_PROCESS = 0xC000;

    public static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;
    public static final int NOT_AUTHORIZED = 0x0124;
    public static final int PROCESSING_FAILURE = 0x0110;
    public static final int DUPLICATE_INVOCATION = 0x0210;
    public static final int UNRECOGNIZED_OPERATION = 0x0211;
    public static final int MISTYPED_ARGUMENT = 0x0212;
    public static final int RESOURCE_LIMITATION = 0x0213;
    public static final int INVALID_ARGUMENT_VALUE = 0x0115;
    public static final int MISSING_ATTRIBUTE = 0x0120;

    public static final int ATTRIBUTE_LIST_ERROR = 0x0107;

    private Status() {}

    public static boolean isPending(int status) {
        return status == PENDING || status == PENDING_WARNING;
    }

    public static boolean isSuccess(int status) {
        return status == SUCCESS;
    }

    public static boolean isCancel(int status) {
        return status == CANCEL;
    }

    /** Warning codes of PS3.7 C.3: 0001H, Bxxx, 0107H, 0116H. */
    public static boolean isWarning(int status) {
        return status == 0x0001 || (status & 0xF000) == 0xB000 || status == ATTRIBUTE_LIST_ERROR || status == 0x0116;
    }

    /** Anything that is not success, pending, cancel or a warning. */
    public static boolean isFailure(int status) {
        return !isSuccess(status) && !isPending(status) && !isCancel(status) && !isWarning(status);
    }

    /** "A700H (Refused: Out of Resources)". */
    public static String toString(int status) {
        String hex = String.format("%04XH", status);
        String meaning = switch (status) {
            case SUCCESS -> "Success";
            case PENDING -> "Pending";
            case PENDING_WARNING -> "Pending, optional keys not supported";
            case CANCEL -> "Cancel";
            case OUT_OF_RESOURCES -> "Refused: Out of Resources";
            case IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS -> "Error: Identifier does not match SOP Class";
            case SOP_CLASS_NOT_SUPPORTED -> "Refused: SOP Class not supported";
            case NOT_AUTHORIZED -> "Refused: Not authorized";
            case PROCESSING_FAILURE -> "Processing failure";
            case DUPLICATE_INVOCATION -> "Duplicate invocation";
            case UNRECOGNIZED_OPERATION -> "Unrecognized operation";
            case MISTYPED_ARGUMENT -> "Mistyped argument";
            case RESOURCE_LIMITATION -> "Resource limitation";
            case INVALID_ARGUMENT_VALUE -> "Invalid argument value";
            case MISSING_ATTRIBUTE -> "Missing attribute";
            default -> (status & 0xF000) == 0xC000 ? "Failed: Unable to process" : null;
        };
        return meaning == null ? hex : hex + " (" + meaning + ")";
    }
}
