package io.dicomspanner.worker.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomReader;
import io.dicomspanner.dicom.data.DicomWriter;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.json.DicomJsonReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IdentifierCharacterSetTest {

    private static Attributes fromJson(String json) {
        return new DicomJsonReader().read(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anIdentifierWithNonAsciiTextGoesToThePacsInUtf8() {
        Attributes identifier = TaskRun.inUtf8IfNeeded(fromJson("{\"00080052\":{\"vr\":\"CS\",\"Value\":[\"STUDY\"]},"
                + "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Åström^Björn\"}]}}"));

        Attributes sent = DicomReader.read(
                DicomWriter.encode(identifier, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        assertThat(sent.getStrings(Tag.SPECIFIC_CHARACTER_SET)).containsExactly("ISO_IR 192");
        assertThat(sent.getBytes(Tag.PATIENT_NAME)).isEqualTo("Åström^Björn ".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anAsciiIdentifierGoesWithoutSpecificCharacterSet() {
        Attributes identifier = TaskRun.inUtf8IfNeeded(fromJson("{\"00080052\":{\"vr\":\"CS\",\"Value\":[\"STUDY\"]},"
                + "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Doe^Jane\"}]}}"));

        assertThat(identifier.contains(Tag.SPECIFIC_CHARACTER_SET)).isFalse();
    }
}
