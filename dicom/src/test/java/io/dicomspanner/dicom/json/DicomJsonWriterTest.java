package io.dicomspanner.dicom.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomReader;
import io.dicomspanner.dicom.data.DicomWriter;
import io.dicomspanner.dicom.data.Fragments;
import io.dicomspanner.dicom.data.Sequence;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.data.VR;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DicomJsonWriterTest {

    private static final int REQUEST_ATTRIBUTES_SEQUENCE = 0x00400275;
    private static final int REQUESTED_PROCEDURE_ID = 0x00401001;
    private static final int FRAME_INCREMENT_POINTER = 0x00280009;
    private static final int ROWS = 0x00280010;
    private static final int ENCAPSULATED_DOCUMENT = 0x00420011;
    private static final int PATIENT_WEIGHT = 0x00101030;

    /** A study-level C-FIND response identifier as a PACS might send it, built from Java values. */
    static Attributes studyResponse() {
        Attributes ds = new Attributes()
                .setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 192")
                .setString(Tag.STUDY_DATE, VR.DA, "20240115")
                .setString(Tag.STUDY_TIME, VR.TM, "101500")
                .setNull(Tag.ACCESSION_NUMBER, VR.SH)
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT", "", "PT")
                .setString(Tag.PATIENT_NAME, VR.PN, "Yamada^Tarou=山田^太郎=やまだ^たろう")
                .setString(Tag.PATIENT_ID, VR.LO, "PID-1")
                .setString(PATIENT_WEIGHT, VR.DS, "72.50")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.3.4")
                .setString(Tag.NUMBER_OF_STUDY_RELATED_SERIES, VR.IS, "1.0")
                .setString(Tag.NUMBER_OF_STUDY_RELATED_INSTANCES, VR.IS, "12")
                .setInt(FRAME_INCREMENT_POINTER, VR.AT, 0x00181063)
                .setInt(ROWS, VR.US, 512)
                .setBytes(ENCAPSULATED_DOCUMENT, VR.OB, new byte[] {1, 2, 3, 4, 5, 0});
        Sequence requests = ds.newSequence(REQUEST_ATTRIBUTES_SEQUENCE);
        requests.addItem().setString(REQUESTED_PROCEDURE_ID, VR.LO, "RP1");
        requests.addItem();
        return ds;
    }

    static final String STUDY_RESPONSE_JSON = "{"
            + "\"00080005\":{\"vr\":\"CS\",\"Value\":[\"ISO_IR 192\"]},"
            + "\"00080020\":{\"vr\":\"DA\",\"Value\":[\"20240115\"]},"
            + "\"00080030\":{\"vr\":\"TM\",\"Value\":[\"101500\"]},"
            + "\"00080050\":{\"vr\":\"SH\"},"
            + "\"00080052\":{\"vr\":\"CS\",\"Value\":[\"STUDY\"]},"
            + "\"00080061\":{\"vr\":\"CS\",\"Value\":[\"CT\",null,\"PT\"]},"
            + "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Yamada^Tarou\","
            + "\"Ideographic\":\"山田^太郎\",\"Phonetic\":\"やまだ^たろう\"}]},"
            + "\"00100020\":{\"vr\":\"LO\",\"Value\":[\"PID-1\"]},"
            + "\"00101030\":{\"vr\":\"DS\",\"Value\":[72.50]},"
            + "\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.2.3.4\"]},"
            + "\"00201206\":{\"vr\":\"IS\",\"Value\":[\"1.0\"]},"
            + "\"00201208\":{\"vr\":\"IS\",\"Value\":[12]},"
            + "\"00280009\":{\"vr\":\"AT\",\"Value\":[\"00181063\"]},"
            + "\"00280010\":{\"vr\":\"US\",\"Value\":[512]},"
            + "\"00400275\":{\"vr\":\"SQ\",\"Value\":[{\"00401001\":{\"vr\":\"LO\",\"Value\":[\"RP1\"]}},{}]},"
            + "\"00420011\":{\"vr\":\"OB\",\"InlineBinary\":\"AQIDBAUA\"}"
            + "}";

    @Test
    void studyLevelFindResponseIsWrittenExactlyAsAnnexFSays() {
        assertThat(new DicomJsonWriter().toJson(studyResponse())).isEqualTo(STUDY_RESPONSE_JSON);
    }

    @Test
    void theSameResponseDecodedFromTheWireIsWrittenTheSameWithoutItsPadding() {
        byte[] wire = DicomWriter.encode(studyResponse(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        Attributes fromWire = DicomReader.read(wire, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        assertThat(fromWire.getValue(Tag.STUDY_INSTANCE_UID))
                .as("UI value as wire bytes, NUL-padded to even length")
                .isEqualTo("1.2.3.4\0".getBytes(StandardCharsets.US_ASCII));

        byte[] json = new DicomJsonWriter().toBytes(fromWire);

        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo(STUDY_RESPONSE_JSON);
    }

    @Test
    void outputIsUtf8WhateverTheDataSetCharacterSet() {
        byte[] latin1Name = "Buc^J\u00e9r\u00f4me".getBytes(StandardCharsets.ISO_8859_1);
        Attributes ds = new Attributes()
                .setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 100")
                .setBytes(Tag.PATIENT_NAME, VR.PN, latin1Name);

        byte[] json = new DicomJsonWriter().toBytes(ds);

        assertThat(json)
                .isEqualTo(("{\"00080005\":{\"vr\":\"CS\",\"Value\":[\"ISO_IR 100\"]},"
                                + "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Buc^J\u00e9r\u00f4me\"}]}}")
                        .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void wirePaddingAndInsignificantSpacesAreStrippedPerVr() {
        Attributes ds = new Attributes()
                .setBytes(Tag.MODALITIES_IN_STUDY, VR.CS, ascii(" CT \\  \\PT "))
                .setBytes(Tag.STUDY_DESCRIPTION, VR.LO, ascii("  Chest  "))
                .setBytes(0x00081080, VR.LT, ascii("  leading spaces kept\\ backslash too  "))
                .setBytes(Tag.SOP_INSTANCE_UID, VR.UI, ascii("1.2\0"))
                .setBytes(Tag.PATIENT_NAME, VR.PN, ascii("    "));

        assertThat(new DicomJsonWriter().toJson(ds))
                .isEqualTo("{\"00080018\":{\"vr\":\"UI\",\"Value\":[\"1.2\"]},"
                        + "\"00080061\":{\"vr\":\"CS\",\"Value\":[\"CT\",null,\"PT\"]},"
                        + "\"00081030\":{\"vr\":\"LO\",\"Value\":[\"Chest\"]},"
                        + "\"00081080\":{\"vr\":\"LT\",\"Value\":[\"  leading spaces kept\\\\ backslash too\"]},"
                        + "\"00100010\":{\"vr\":\"PN\"}}");
    }

    @Test
    void isAndDsAreNumbersWhenTheirTextIsAJsonNumberAndStringsKeepingAnyOtherForm() {
        Attributes ds = new Attributes()
                .setBytes(0x00181150, VR.IS, ascii("+5\\007\\-12\\1.0\\1e3 "))
                .setBytes(0x00280030, VR.DS, ascii("0.5\\.5\\1.\\-1.5E+02\\+2\\NaN "));

        assertThat(new DicomJsonWriter().toJson(ds))
                .isEqualTo("{\"00181150\":{\"vr\":\"IS\",\"Value\":[\"+5\",\"007\",-12,\"1.0\",\"1e3\"]},"
                        + "\"00280030\":{\"vr\":\"DS\",\"Value\":[0.5,\".5\",\"1.\",-1.5E+02,\"+2\",\"NaN\"]}}");
    }

    @Test
    void binaryNumbersAreJsonNumbersExceptWhereJavaScriptWouldRoundThem() {
        long twoTo53 = 1L << 53;
        Attributes ds = new Attributes()
                .setBytes(0x00189219, VR.SS, le(2, -2, 32767))
                .setBytes(0x00280010, VR.US, le(2, 65535))
                .setBytes(0x00181310, VR.UL, le(4, 0xFFFFFFFFL))
                .setBytes(0x00186020, VR.SL, le(4, Integer.MIN_VALUE))
                .setBytes(0x00186028, VR.FD, le(8, Double.doubleToLongBits(0.1), Double.doubleToLongBits(-1e300)))
                .setBytes(
                        0x0018602C,
                        VR.FL,
                        le(
                                4,
                                Float.floatToIntBits(1.5f),
                                Float.floatToIntBits(Float.NaN),
                                Float.floatToIntBits(Float.NEGATIVE_INFINITY)))
                .setBytes(0x00720082, VR.SV, le(8, twoTo53, -twoTo53 - 1, Long.MIN_VALUE))
                .setBytes(0x0072007F, VR.UV, le(8, twoTo53, twoTo53 + 1, -1L));

        assertThat(new DicomJsonWriter().toJson(ds))
                .isEqualTo("{\"00181310\":{\"vr\":\"UL\",\"Value\":[4294967295]},"
                        + "\"00186020\":{\"vr\":\"SL\",\"Value\":[-2147483648]},"
                        + "\"00186028\":{\"vr\":\"FD\",\"Value\":[0.1,-1.0E300]},"
                        + "\"0018602C\":{\"vr\":\"FL\",\"Value\":[1.5,\"NaN\",\"-Infinity\"]},"
                        + "\"00189219\":{\"vr\":\"SS\",\"Value\":[-2,32767]},"
                        + "\"00280010\":{\"vr\":\"US\",\"Value\":[65535]},"
                        + "\"0072007F\":{\"vr\":\"UV\",\"Value\":[9007199254740992,\"9007199254740993\","
                        + "\"18446744073709551615\"]},"
                        + "\"00720082\":{\"vr\":\"SV\",\"Value\":[9007199254740992,\"-9007199254740993\","
                        + "\"-9223372036854775808\"]}}");
    }

    @Test
    void groupLengthsAreLeftOutAndEmptyOrEmptiedSequencesHaveNoValue() {
        Attributes ds = new Attributes()
                .setInt(0x00080000, VR.UL, 42)
                .setNull(REQUEST_ATTRIBUTES_SEQUENCE, VR.SQ)
                .setNull(0x00081110, VR.SQ)
                .setNull(Tag.PATIENT_NAME, VR.PN);
        ds.getSequence(0x00081110).addItem().setInt(0x00200000, VR.UL, 8);

        assertThat(new DicomJsonWriter().toJson(ds))
                .isEqualTo("{\"00081110\":{\"vr\":\"SQ\",\"Value\":[{}]},"
                        + "\"00100010\":{\"vr\":\"PN\"},"
                        + "\"00400275\":{\"vr\":\"SQ\"}}");
    }

    @Test
    void personNamesKeepOnlyTheirNonEmptyComponentGroups() {
        Attributes ds = new Attributes()
                .setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 192")
                .setString(Tag.PATIENT_NAME, VR.PN, "=山田^太郎", "Doe^John==", "", "A==P=extra");

        assertThat(new DicomJsonWriter().toJson(ds))
                .isEqualTo("{\"00080005\":{\"vr\":\"CS\",\"Value\":[\"ISO_IR 192\"]},"
                        + "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Ideographic\":\"山田^太郎\"},"
                        + "{\"Alphabetic\":\"Doe^John\"},null,{\"Alphabetic\":\"A\",\"Phonetic\":\"P=extra\"}]}}");
    }

    @Test
    void theBulkDataPolicyTurnsLargeBinaryValuesIntoBulkDataUris() {
        Attributes ds = new Attributes()
                .setString(Tag.SOP_INSTANCE_UID, VR.UI, "1.2.3")
                .setBytes(0x00091010, VR.UN, new byte[] {9})
                .setBytes(Tag.PIXEL_DATA, VR.OW, new byte[64]);
        BulkDataPolicy policy = BulkDataPolicy.referenceAbove(
                16,
                (dataset, tag, vr, length) ->
                        "http://proxy/bulk/" + dataset.getString(Tag.SOP_INSTANCE_UID) + "/" + Tag.toHex(tag));

        assertThat(new DicomJsonWriter(policy).toJson(ds))
                .isEqualTo("{\"00080018\":{\"vr\":\"UI\",\"Value\":[\"1.2.3\"]},"
                        + "\"00091010\":{\"vr\":\"UN\",\"InlineBinary\":\"CQ==\"},"
                        + "\"7FE00010\":{\"vr\":\"OW\",\"BulkDataURI\":\"http://proxy/bulk/1.2.3/7FE00010\"}}");
    }

    @Test
    void encapsulatedPixelDataNeedsABulkDataUri() {
        Fragments fragments = new Fragments();
        fragments.add(new byte[0]);
        fragments.add(new byte[] {(byte) 0xFF, (byte) 0xD8});
        Attributes ds = new Attributes().setFragments(Tag.PIXEL_DATA, VR.OB, fragments);

        assertThatThrownBy(() -> new DicomJsonWriter().toBytes(ds))
                .isInstanceOf(DicomJsonException.class)
                .hasMessageStartingWith("(7FE0,0010) holds encapsulated (compressed) pixel data");
        assertThat(new DicomJsonWriter((dataset, tag, vr, length) -> "frames/" + length).toJson(ds))
                .isEqualTo("{\"7FE00010\":{\"vr\":\"OB\",\"BulkDataURI\":\"frames/2\"}}");
    }

    @Test
    void queryResultsAreOneJsonArrayWrittenAsTheyArrive() {
        Attributes first = new Attributes().setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.1");
        Attributes second = new Attributes().setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2");
        DicomJsonWriter writer = new DicomJsonWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        try (DicomJsonArrayWriter array = writer.openArray(out)) {
            array.add(first).flush();
            assertThat(out.toString(StandardCharsets.UTF_8))
                    .isEqualTo("[{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.1\"]}}");
            array.add(second);
        }

        String expected = "[{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.1\"]}},"
                + "{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.2\"]}}]";
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(new String(writer.toBytes(List.of(first, second)), StandardCharsets.UTF_8))
                .isEqualTo(expected);
        StringWriter chars = new StringWriter();
        writer.writeArray(List.of(first, second), chars);
        assertThat(chars.toString()).isEqualTo(expected);
        assertThat(new String(writer.toBytes(List.of()), StandardCharsets.UTF_8))
                .isEqualTo("[]");
    }

    @Test
    void anArrayThatFailsHalfwayIsLeftVisiblyUnterminated() {
        Fragments fragments = new Fragments();
        fragments.add(new byte[] {1, 2});
        Attributes good = new Attributes().setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.1");
        Attributes bad = new Attributes().setFragments(Tag.PIXEL_DATA, VR.OB, fragments);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThatThrownBy(() -> new DicomJsonWriter().writeArray(List.of(good, bad), out))
                .isInstanceOf(DicomJsonException.class);

        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("[{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.1\"]}},{\"7FE00010\":{\"vr\":\"OB\"");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Little-endian values of {@code size} bytes each. */
    private static byte[] le(int size, long... values) {
        byte[] b = new byte[size * values.length];
        for (int i = 0; i < values.length; i++) {
            for (int k = 0; k < size; k++) {
                b[i * size + k] = (byte) (values[i] >>> (8 * k));
            }
        }
        return b;
    }
}
