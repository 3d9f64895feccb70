package io.dicomspanner.simulator.find;

import io.dicomspanner.dicom.net.Status;

/**
 * The status a C-FIND ends with (PS3.4 C.4.1.1.4) and, for failures, the Error Comment (0000,0902)
 * and Offending Element (0000,0901) that go with it. Error comments never hold key values, which may be PHI.
 *
 * @param code the Status (0000,0900), one of {@link Status}'s codes
 * @param errorComment at most 64 characters, or {@code null}
 * @param offendingElement the tag of the attribute at fault, or {@link #NO_OFFENDING_ELEMENT}
 */
public record FindStatus(int code, String errorComment, int offendingElement) {

    public static final int NO_OFFENDING_ELEMENT = -1;

    private static final int MAX_ERROR_COMMENT = 64;

    public FindStatus {
        if (errorComment != null && errorComment.length() > MAX_ERROR_COMMENT) {
            errorComment = errorComment.substring(0, MAX_ERROR_COMMENT);
        }
    }

    public static FindStatus success() {
        return new FindStatus(Status.SUCCESS, null, NO_OFFENDING_ELEMENT);
    }

    public static FindStatus cancelled() {
        return new FindStatus(Status.CANCEL, null, NO_OFFENDING_ELEMENT);
    }

    public static FindStatus failure(int code, String errorComment) {
        return new FindStatus(code, errorComment, NO_OFFENDING_ELEMENT);
    }

    public static FindStatus failure(int code, String errorComment, int offendingElement) {
        return new FindStatus(code, errorComment, offendingElement);
    }

    public boolean isFailure() {
        return Status.isFailure(code);
    }

    public boolean hasOffendingElement() {
        return offendingElement != NO_OFFENDING_ELEMENT;
    }
}
