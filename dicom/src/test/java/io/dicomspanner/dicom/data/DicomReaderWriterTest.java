package io.dicomspanner.dicom.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DicomReaderWriterTest {

    /**
     * Every sample dcmtk's dcmdump reads too. Left out: truncated files and a bad VR (tested below), two files whose
     * first bytes are not DICOM at all (dcmdump fails on them as well),
     * and two files with odd-length private values, which a writer must pad (PS3.5 §7.1.1) so they cannot round-trip.
     */
    static Stream<Path> readableSamples() {
        String excluded = "(MR|rtplan)_truncated|badVR|no_meta|SC_rgb_jpeg" + "|meta_missing_tsyntax|nested_priv_SQ";
        return PydicomSamples.testFiles().stream()
                .filter(p -> !p.getFileName().toString().matches("(" + excluded + ")\\.dcm"));
    }

    @ParameterizedTest
    @MethodSource("readableSamples")
    void everyPydicomSampleSurvivesAnExplicitVrRoundTrip(Path file) throws IOException {
        Attributes ds = DicomFile.read(file).dataset();
        TransferSyntax ts = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
        assertThat(DicomReader.read(DicomWriter.encode(ds, ts), ts))
                .as("%s", file.getFileName())
                .isEqualTo(ds);
    }

    @Test
    void implicitVrRoundTripKeepsDictionaryVrsAndNestedItems() {
        Attributes ds = new Attributes()
                .setString(Tag.PATIENT_NAME, VR.PN, "Doe^John")
                .setInt(Tag.NUMBER_OF_STUDY_RELATED_SERIES, VR.IS, 3)
                .setInt(0x00280010, VR.US, 512);
        ds.newSequence(0x00321064).addItem().setString(0x00080100, VR.SH, "CODE");
        TransferSyntax ts = TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
        Attributes back = DicomReader.read(DicomWriter.encode(ds, ts), ts);
        assertThat(back).isEqualTo(ds);
        assertThat(back.getSequence(0x00321064).get(0).getString(0x00080100)).isEqualTo("CODE");
    }

    @Test
    void ctSmallHasTheValuesPydicomReports() throws IOException {
        Attributes ds = DicomFile.read(PydicomSamples.testFile("CT_small.dcm")).dataset();
        assertThat(ds.getString(Tag.PATIENT_NAME)).isEqualTo("CompressedSamples^CT1");
        assertThat(ds.getString(Tag.PATIENT_ID)).isEqualTo("1CT1");
        assertThat(ds.getString(Tag.STUDY_INSTANCE_UID)).isEqualTo("1.3.6.1.4.1.5962.1.2.1.20040119072730.12322");
        assertThat(ds.getInt(0x00280010, -1)).isEqualTo(128); // Rows
        assertThat(ds.getStrings(0x00200032)).containsExactly("-158.135803", "-179.035797", "-75.699997");
    }

    @Test
    void bigEndianAndLittleEndianCopiesOfOneImageReadTheSame() throws IOException {
        Attributes le = DicomFile.read(PydicomSamples.testFile("MR_small.dcm")).dataset();
        Attributes be = DicomFile.read(PydicomSamples.testFile("MR_small_bigendian.dcm"))
                .dataset();
        assertThat(be.getInt(0x00280010, -1)).isEqualTo(le.getInt(0x00280010, -2));
        assertThat(be.getString(Tag.PATIENT_NAME)).isEqualTo(le.getString(Tag.PATIENT_NAME));
        assertThat(be.getBytes(Tag.PIXEL_DATA)).isEqualTo(le.getBytes(Tag.PIXEL_DATA));
    }

    @Test
    void truncatedFilesFailWithTheOffsetInsteadOfReadingPastTheEnd() {
        assertThatThrownBy(() -> DicomFile.read(PydicomSamples.testFile("rtplan_truncated.dcm")))
                .isInstanceOf(DicomParseException.class)
                .hasMessageContaining("at byte");
    }

    @Test
    void aLengthBeyondTheBufferIsRefusedWithoutAllocatingIt() {
        byte[] bogus = {0x10, 0x00, 0x10, 0x00, (byte) 0xF0, (byte) 0xFF, (byte) 0xFF, 0x7F, 'A', 'B'};
        assertThatThrownBy(() -> DicomReader.read(bogus, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN))
                .isInstanceOf(DicomParseException.class)
                .hasMessageContaining("exceeds");
    }

    @Test
    void textIsPaddedToEvenLengthWithSpaceAndUidsWithNul() {
        Attributes ds = new Attributes()
                .setString(Tag.PATIENT_ID, VR.LO, "ABC")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.3");
        byte[] bytes = DicomWriter.encode(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        assertThat(bytes)
                .containsExactly(
                        0x10, 0x00, 0x20, 0x00, 'L', 'O', 4, 0, 'A', 'B', 'C', ' ', //
                        0x20, 0x00, 0x0D, 0x00, 'U', 'I', 6, 0, '1', '.', '2', '.', '3', 0);
    }
}
