package io.dicomspanner.dicom.json;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.fuzz.Values;
import java.util.List;

/**
 * Any bytes, read as a DICOM JSON document (PS3.18 §F) or a list of them, give attributes whose every value reads, or
 * a {@link DicomJsonException} with a message; never another exception.
 */
class DicomJsonReaderFuzzTest {
    private static final DicomJsonReader READER = new DicomJsonReader(BulkDataResolver.REJECT, 64, 1_000_000);

    @FuzzTest
    void everyDocumentReadsOrFailsWithAMessage(byte[] input) {
        try {
            if (input.length > 0 && input[0] == '[') {
                List<Attributes> list = READER.readList(input);
                for (Attributes attributes : list) {
                    Values.readAll(attributes);
                }
            } else {
                Values.readAll(READER.read(input));
            }
        } catch (DicomJsonException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("DICOM JSON error without a message", e);
            }
        }
    }
}
