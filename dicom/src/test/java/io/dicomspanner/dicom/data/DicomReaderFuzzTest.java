package io.dicomspanner.dicom.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dicomspanner.dicom.fuzz.Values;

/**
 * Any bytes, read as a data set in any of the transfer syntaxes a peer may use, give attributes whose every value
 * reads, or a {@link DicomParseException} naming the offset; never another exception, never running out of memory.
 *
 * <p>The first byte picks the transfer syntax (0 Implicit VR LE, 1 Explicit VR LE, 2 Explicit VR BE, modulo 3); the
 * rest is the data set.
 */
class DicomReaderFuzzTest {
    private static final TransferSyntax[] SYNTAXES = {
        TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN,
        TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
        TransferSyntax.EXPLICIT_VR_BIG_ENDIAN
    };

    @FuzzTest
    void everyDataSetReadsOrFailsWithItsOffset(byte[] input) {
        if (input.length == 0) {
            return;
        }
        TransferSyntax ts = SYNTAXES[(input[0] & 0xFF) % SYNTAXES.length];
        Attributes attributes;
        try {
            attributes = DicomReader.read(input, 1, input.length - 1, ts);
        } catch (DicomParseException e) {
            if (e.getMessage() == null || !e.getMessage().contains(" at byte ")) {
                throw new AssertionError("parse error without an offset: " + e.getMessage(), e);
            }
            return;
        }
        Values.readAll(attributes);
    }
}
