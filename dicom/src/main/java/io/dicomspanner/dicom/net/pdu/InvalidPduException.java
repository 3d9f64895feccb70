package io.dicomspanner.dicom.net.pdu;

import java.io.IOException;

/**
 * Bytes from the peer that are not a valid PDU. Carries the A-ABORT reason (source: service provider) that PS3.8
 * §9.3.8 gives for the fault, so the association can tell the peer why it is aborted.
 */
public class InvalidPduException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int abortReason;

    public InvalidPduException(int abortReason, String message) {
        super(message);
        this.abortReason = abortReason;
    }

    public InvalidPduException(int abortReason, String message, Throwable cause) {
        super(message, cause);
        this.abortReason = abortReason;
    }

    /** One of the {@code AAbort.REASON_*} constants for a service-provider abort. */
    public int abortReason() {
        return abortReason;
    }

    /** The A-ABORT to send in answer. */
    public AAbort toAbort() {
        return AAbort.byServiceProvider(abortReason);
    }
}
