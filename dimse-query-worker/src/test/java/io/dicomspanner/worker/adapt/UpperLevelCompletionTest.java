package io.dicomspanner.worker.adapt;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomReader;
import io.dicomspanner.dicom.data.DicomWriter;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.data.VR;
import org.junit.jupiter.api.Test;

class UpperLevelCompletionTest {

    private static Attributes wire(Attributes attributes) {
        return DicomReader.read(
                DicomWriter.encode(attributes, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void anAsciiImageUnderAStudyWithAUtf8NameIsCompletedInUtf8() {
        Attributes study = wire(new Attributes()
                .setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 192")
                .setString(Tag.PATIENT_NAME, VR.PN, "Weiß^Anna")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.3"));
        Attributes image = wire(new Attributes()
                .setString(Tag.SOP_INSTANCE_UID, VR.UI, "1.2.3.4.5")
                .setString(Tag.INSTANCE_NUMBER, VR.IS, "7"));

        Attributes completed = wire(QueryAdapter.withUpperLevels(image, study));

        assertThat(completed.getString(Tag.SPECIFIC_CHARACTER_SET)).isEqualTo("ISO_IR 192");
        assertThat(completed.getString(Tag.PATIENT_NAME)).isEqualTo("Weiß^Anna");
        assertThat(completed.vrOf(Tag.PATIENT_NAME)).isEqualTo(VR.PN);
        assertThat(completed.getString(Tag.STUDY_INSTANCE_UID)).isEqualTo("1.2.3");
        assertThat(completed.getString(Tag.SOP_INSTANCE_UID)).isEqualTo("1.2.3.4.5");
        assertThat(completed.getString(Tag.INSTANCE_NUMBER)).isEqualTo("7");
    }

    @Test
    void aChildInTheSameCharacterSetKeepsItAndGainsTheMissingUpperAttributes() {
        Attributes study = wire(new Attributes()
                .setString(Tag.PATIENT_ID, VR.LO, "P1")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.3"));
        Attributes series = wire(new Attributes()
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.3")
                .setString(Tag.SERIES_INSTANCE_UID, VR.UI, "1.2.3.4"));

        Attributes completed = QueryAdapter.withUpperLevels(series, study);

        assertThat(completed).isSameAs(series);
        assertThat(completed.contains(Tag.SPECIFIC_CHARACTER_SET)).isFalse();
        assertThat(completed.getString(Tag.PATIENT_ID)).isEqualTo("P1");
    }
}
