package io.dicomspanner.dicom.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * In Explicit VR a peer declares the VR of every element, and may declare one the dictionary does not give. Reading
 * such a data set never fails later on an unexpected VR: the cases below were found by {@code DicomReaderFuzzTest}.
 */
class DeclaredVrTest {

    /** (0008,0005) with the given VR and value "ISO_IR 100", then PatientName PN "Müller" in Latin-1. */
    private static Attributes charsetDeclaredAs(String vr) {
        String header = vr.equals("UN") || vr.equals("OB") ? vr.toUpperCase() : vr;
        String charsetElement = vr.equals("UN") || vr.equals("OB")
                ? "08000500" + hex(header) + "0000" + "0a000000" + hex("ISO_IR 100")
                : "08000500" + hex(header) + "0a00" + hex("ISO_IR 100");
        String patientName = "10001000" + hex("PN") + "0600" + "4d" + "fc" + hex("ller");
        return DicomReader.read(
                HexFormat.of().parseHex(charsetElement + patientName), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    private static String hex(String ascii) {
        return HexFormat.of().formatHex(ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void aBinaryValueShorterThanOneValueOfItsVrHoldsNoValueInsteadOfFailing() {
        // (0000,0110) Message ID, US, with 1 byte of value (padded as a peer's odd length would be read)
        Attributes command = DicomReader.read(
                HexFormat.of().parseHex("00001001" + hex("US") + "0100" + "07"),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);

        assertThat(command.vrOf(Tag.MESSAGE_ID)).isEqualTo(VR.US);
        assertThat(command.getInt(Tag.MESSAGE_ID, -1)).isEqualTo(-1);
        assertThat(command.getStrings(Tag.MESSAGE_ID)).isEmpty();
    }

    @Test
    void specificCharacterSetDeclaredAsUnStillNamesTheCharacterSet() {
        Attributes attributes = charsetDeclaredAs("UN");

        assertThat(attributes.vrOf(Tag.SPECIFIC_CHARACTER_SET)).isEqualTo(VR.UN);
        assertThat(attributes.specificCharacterSet().codes()).containsExactly("ISO_IR 100");
        assertThat(attributes.getStrings(Tag.PATIENT_NAME)).containsExactly("Müller");
    }

    @Test
    void specificCharacterSetDeclaredAsObStillNamesTheCharacterSet() {
        Attributes attributes = charsetDeclaredAs("OB");

        assertThat(attributes.specificCharacterSet().codes()).containsExactly("ISO_IR 100");
        assertThat(attributes.getStrings(Tag.PATIENT_NAME)).containsExactly("Müller");
    }

    /** As LO its value would be decoded in the character set it names: read as CS, it does not ask itself. */
    @Test
    void specificCharacterSetDeclaredAsLoIsReadWithoutAskingItself() {
        Attributes attributes = charsetDeclaredAs("LO");

        assertThat(attributes.specificCharacterSet().codes()).containsExactly("ISO_IR 100");
        assertThat(attributes.getStrings(Tag.PATIENT_NAME)).containsExactly("Müller");
    }

    @Test
    void aByteStreamHasNoStringFormAndSaysSo() {
        Attributes attributes = new Attributes().setBytes(Tag.PATIENT_NAME, VR.UN, new byte[] {'D', 'o', 'e', ' '});

        assertThatThrownBy(() -> attributes.getStrings(Tag.PATIENT_NAME))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("UN has no string form");
    }
}
