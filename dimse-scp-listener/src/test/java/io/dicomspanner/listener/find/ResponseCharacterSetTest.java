package io.dicomspanner.listener.find;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomReader;
import io.dicomspanner.dicom.data.DicomWriter;
import io.dicomspanner.dicom.data.SpecificCharacterSet;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.data.VR;
import org.junit.jupiter.api.Test;

class ResponseCharacterSetTest {

    /** A record as the coordinator sends it: UTF-8 because it holds non-ASCII text, read back from the wire. */
    private static Attributes utf8Record(String patientName) {
        Attributes record = new Attributes()
                .setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 192")
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.PATIENT_NAME, VR.PN, patientName)
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.3");
        return DicomReader.read(
                DicomWriter.encode(record, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    private static Attributes wire(Attributes a) {
        return DicomReader.read(
                DicomWriter.encode(a, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void answersInTheRequestsSetWhenItHoldsEveryValue() {
        Attributes out = wire(new ResponseCharacterSet(SpecificCharacterSet.valueOf("ISO_IR 100"))
                .encode(utf8Record("Müller^Jürgen")));

        assertThat(out.getStrings(Tag.SPECIFIC_CHARACTER_SET)).containsExactly("ISO_IR 100");
        assertThat(out.getString(Tag.PATIENT_NAME)).isEqualTo("Müller^Jürgen");
        assertThat(out.getBytes(Tag.PATIENT_NAME))
                .isEqualTo(SpecificCharacterSet.valueOf("ISO_IR 100").encode("Müller^Jürgen ", VR.PN));
        assertThat(out.getString(Tag.STUDY_INSTANCE_UID)).isEqualTo("1.2.3");
        assertThat(out.getString(Tag.QUERY_RETRIEVE_LEVEL)).isEqualTo("STUDY");
    }

    @Test
    void staysInUtf8WhenTheRequestsSetCannotHoldAValue() {
        Attributes out = wire(new ResponseCharacterSet(SpecificCharacterSet.valueOf("ISO_IR 100"))
                .encode(utf8Record("Yamada^Tarou=山田^太郎")));

        assertThat(out.getStrings(Tag.SPECIFIC_CHARACTER_SET)).containsExactly("ISO_IR 192");
        assertThat(out.getString(Tag.PATIENT_NAME)).isEqualTo("Yamada^Tarou=山田^太郎");
    }

    @Test
    void aRequestInTheDefaultRepertoireGetsUtf8ForNonAsciiText() {
        Attributes out = wire(new ResponseCharacterSet(SpecificCharacterSet.DEFAULT).encode(utf8Record("Ørsted^Hans")));

        assertThat(out.getStrings(Tag.SPECIFIC_CHARACTER_SET)).containsExactly("ISO_IR 192");
        assertThat(out.getString(Tag.PATIENT_NAME)).isEqualTo("Ørsted^Hans");
    }
}
