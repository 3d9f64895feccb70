package io.dicomspanner.dicom.net;

import java.io.IOException;

/** A DICOM association could not be used: the base of the network layer's failures. */
public class DicomNetworkException extends IOException {
    private static final long serialVersionUID = 1L;

    public DicomNetworkException(String message) {
        super(message);
    }

    public DicomNetworkException(String message, Throwable cause) {
        super(message, cause);
    }
}
