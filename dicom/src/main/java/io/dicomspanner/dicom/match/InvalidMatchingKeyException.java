package io.dicomspanner.dicom.match;

/**
 * A key value that no C-FIND matching rule accepts, such as a DA of "2024-13-01" or a TM range that crosses
 * midnight. The QIDO-RS layer answers it with 400, the C-FIND SCP with a failure status.
 *
 * <p>The message names the attribute and says what is wrong, but never repeats the value: keys such as
 * PatientBirthDate are PHI and messages end up in logs.
 */
public class InvalidMatchingKeyException extends IllegalArgumentException {
    private final int tag;

    InvalidMatchingKeyException(String attribute, int tag, String reason) {
        super(attribute + ": " + reason);
        this.tag = tag;
    }

    /** The tag of the offending attribute (the innermost one when it sits in a sequence item). */
    public int tag() {
        return tag;
    }
}
