package io.dicomspanner.simulator.find;

/**
 * The status a C-FIND ends with (PS3.4 C.4.1.1.4) and, for failures, the Error Comment (0000,0902)
 * and Offending Element (0000,0901) that go with it. Error comments never hold key values, which may be PHI.
 *
 * @param code the Status (0000,0900)
 * @param errorComment at most 64 characters, or {@code null}
 * @param offendingElement the tag of the attribute at fault, or {@link #NO_OFFENDING_ELEMENT}
 */
public record FindStatus(int code, String errorComment, int offendingElement) {

    /** Matching is complete; no identifier. */
    public static final int SUCCESS = 0x0000;
    /** A match follows, and every optional key was supported. */
    public static final int PENDING = 0xFF00;
    /** A match follows, but one or more optional keys were not supported for matching. */
    public static final int PENDING_WARNING_UNSUPPORTED_KEYS = 0xFF01;
    /** Matching terminated due to Cancel request. */
    public static final int CANCELLED = 0xFE00;
    /** Refused: Out of Resources. */
    public static final int OUT_OF_RESOURCES = 0xA700;
    /** Error: Identifier does not match SOP Class. */
    public static final int IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS = 0xA900;
    /** Failed: Unable to process (the first of the Cxxx range). */
    public static final int UNABLE_TO_PROCESS = 0xC000;

    public static final int NO_OFFENDING_ELEMENT = -1;

    private static final int MAX_ERROR_COMMENT = 64;

    public FindStatus {
        if (errorComment != null && errorComment.length() > MAX_ERROR_COMMENT) {
            errorComment = errorComment.substring(0, MAX_ERROR_COMMENT);
        }
    }

    public static FindStatus success() {
        return new FindStatus(SUCCESS, null, NO_OFFENDING_ELEMENT);
    }

    public static FindStatus cancelled() {
        return new FindStatus(CANCELLED, null, NO_OFFENDING_ELEMENT);
    }

    public static FindStatus failure(int code, String errorComment) {
        return new FindStatus(code, errorComment, NO_OFFENDING_ELEMENT);
    }

    public static FindStatus failure(int code, String errorComment, int offendingElement) {
        return new FindStatus(code, errorComment, offendingElement);
    }

    public boolean isFailure() {
        return (code & 0xF000) == 0xA000 || (code & 0xF000) == 0xC000;
    }

    public boolean hasOffendingElement() {
        return offendingElement != NO_OFFENDING_ELEMENT;
    }
}
