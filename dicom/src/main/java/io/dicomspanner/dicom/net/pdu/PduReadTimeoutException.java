package io.dicomspanner.dicom.net.pdu;

import java.io.IOException;

/** A peer began a PDU and did not send the rest within the PDU read timeout. */
public class PduReadTimeoutException extends IOException {
    private static final long serialVersionUID = 1L;

    public PduReadTimeoutException(String message) {
        super(message);
    }
}
