package io.dicomspanner.dicom.net.service;

import io.dicomspanner.dicom.net.Status;

/**
 * How a C-FIND ended: the final response's status and error comment, the number of matches delivered, and whether
 * this side had sent C-CANCEL (on request, or on reaching the maximum number of matches).
 */
public record FindOutcome(int status, String errorComment, int matches, boolean cancelSent) {

    public boolean isSuccess() {
        return Status.isSuccess(status);
    }

    public boolean isCancelled() {
        return Status.isCancel(status);
    }

    public boolean isFailure() {
        return Status.isFailure(status);
    }

    @Override
    public String toString() {
        return "C-FIND " + Status.toString(status) + (errorComment != null ? " '" + errorComment + "'" : "") + ", "
                + matches + " matches" + (cancelSent ? ", C-CANCEL sent" : "");
    }
}
