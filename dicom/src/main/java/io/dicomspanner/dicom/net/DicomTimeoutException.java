package io.dicomspanner.dicom.net;

/** A timeout of {@link DicomSettings} expired: connect, associate, release, response or operation. */
public class DicomTimeoutException extends DicomNetworkException {
    private static final long serialVersionUID = 1L;

    public DicomTimeoutException(String message) {
        super(message);
    }
}
