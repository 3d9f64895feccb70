package io.dicomspanner.dicom.data;

/** Bytes that are not a well-formed DICOM data set; the message says what and where. */
public class DicomParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DicomParseException(String message) {
        super(message);
    }

    public DicomParseException(String message, Throwable cause) {
        super(message, cause);
    }
}
