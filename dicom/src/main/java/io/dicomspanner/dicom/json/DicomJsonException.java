package io.dicomspanner.dicom.json;

/**
 * A DICOM JSON document that does not follow PS3.18 Annex F, or a data set that cannot be expressed in it. The message
 * names the attribute (as a tag path such as {@code (0040,A730)[0].(0008,0100)}) and, when reading, the position in
 * the document.
 */
public class DicomJsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public DicomJsonException(String message) {
        super(message);
    }

    public DicomJsonException(String message, Throwable cause) {
        super(message, cause);
    }
}
