package io.dicomspanner.dicom.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DicomJsonReaderTest {

    private final DicomJsonReader reader = new DicomJsonReader();

    @Test
    void theStudyResponseReadsBackToTheDataSetItWasWrittenFrom() {
        Attributes ds = reader.read(DicomJsonWriterTest.STUDY_RESPONSE_JSON);

        assertThat(ds).isEqualTo(DicomJsonWriterTest.studyResponse());
        assertThat(ds.getStrings(Tag.MODALITIES_IN_STUDY)).containsExactly("CT", "", "PT");
        assertThat(ds.getString(Tag.PATIENT_NAME)).isEqualTo("Yamada^Tarou=山田^太郎=やまだ^たろう");
        assertThat(ds.getString(Tag.NUMBER_OF_STUDY_RELATED_SERIES)).isEqualTo("1.0");
        assertThat(ds.getString(0x00101030)).isEqualTo("72.50");
        assertThat(ds.getInt(0x00280009, 0)).isEqualTo(0x00181063);
        assertThat(ds.isEmptyValue(Tag.ACCESSION_NUMBER)).isTrue();
        assertThat(ds.getSequence(0x00400275).get(1).isEmpty()).isTrue();
        assertThat(ds.getBytes(0x00420011)).containsExactly(1, 2, 3, 4, 5, 0);
    }

    @Test
    void isDsSvAndUvAreAcceptedAsNumbersOrStringsKeepingTheirText() {
        Attributes ds = reader.read("{"
                + "\"00181150\":{\"vr\":\"IS\",\"Value\":[5,\"+6\",null]},"
                + "\"00280030\":{\"vr\":\"DS\",\"Value\":[1.50,\"2.5\",-1E+2]},"
                + "\"00720082\":{\"vr\":\"SV\",\"Value\":[-3,\"-9007199254740993\"]},"
                + "\"0072007F\":{\"vr\":\"UV\",\"Value\":[\"18446744073709551615\"]}}");

        assertThat(ds.getStrings(0x00181150)).containsExactly("5", "+6", "");
        assertThat(ds.getStrings(0x00280030)).containsExactly("1.50", "2.5", "-1E+2");
        assertThat(ds.getStrings(0x00720082)).containsExactly("-3", "-9007199254740993");
        assertThat(ds.getStrings(0x0072007F)).containsExactly("18446744073709551615");
    }

    @Test
    void otherProducersFormsAreAccepted() {
        Attributes ds = reader.read("{"
                + "\"00100010\":{\"Value\":[\"Doe^John=ドウ\"],\"vr\":\"PN\"},"
                + "\"0008103e\":{\"vr\":\"LO\",\"Value\":[\"lower-case key\"]},"
                + "\"0018602C\":{\"vr\":\"FL\",\"Value\":[\"NaN\",\"-Infinity\",2]},"
                + "\"00091010\":{\"InlineBinary\":\"AQI\",\"vr\":\"UN\"},"
                + "\"00100020\":{\"vr\":\"LO\",\"Value\":[]},"
                + "\"00101002\":{\"vr\":\"SQ\",\"Value\":[]}}");

        assertThat(ds.getString(Tag.PATIENT_NAME)).isEqualTo("Doe^John=ドウ");
        assertThat(ds.getString(Tag.SERIES_DESCRIPTION)).isEqualTo("lower-case key");
        assertThat(ds.getStrings(0x0018602C)).containsExactly("NaN", "-Infinity", "2.0");
        assertThat(ds.getBytes(0x00091010)).containsExactly(1, 2);
        assertThat(ds.isEmptyValue(Tag.PATIENT_ID)).isTrue();
        assertThat(ds.vrOf(0x00101002)).isEqualTo(VR.SQ);
        assertThat(ds.isEmptyValue(0x00101002)).isTrue();
    }

    @Test
    void personNameObjectsJoinTheirGroupsWithoutTrailingEmptyOnes() {
        Attributes ds = reader.read("{\"00100010\":{\"vr\":\"PN\",\"Value\":["
                + "{\"Alphabetic\":\"A\",\"Phonetic\":\"P\"},{\"Ideographic\":\"山田\"},{},null,"
                + "{\"Alphabetic\":\"B\",\"Ideographic\":\"\"}]}}");

        assertThat(ds.getStrings(Tag.PATIENT_NAME)).containsExactly("A==P", "=山田", "", "", "B");
    }

    @Test
    void aQidoAnswerArrayGivesOneDataSetPerElementAndCanBeStreamed() {
        String answer = "[{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.1\"]}},{\"0020000D\":{\"vr\":\"UI\"}}]";

        List<Attributes> list = reader.readList(answer);
        List<Attributes> streamed = new ArrayList<>();
        reader.readEach(new ByteArrayInputStream(answer.getBytes(StandardCharsets.UTF_8)), streamed::add);

        assertThat(list).hasSize(2);
        assertThat(list.get(0).getString(Tag.STUDY_INSTANCE_UID)).isEqualTo("1.1");
        assertThat(list.get(1).isEmptyValue(Tag.STUDY_INSTANCE_UID)).isTrue();
        assertThat(streamed).isEqualTo(list);
        assertThat(reader.readList("[]")).isEmpty();
        assertThat(reader.readList("{\"00100020\":{\"vr\":\"LO\",\"Value\":[\"X\"]}}"))
                .containsExactly(new Attributes().setString(Tag.PATIENT_ID, VR.LO, "X"));
    }

    @Test
    void aBulkDataUriIsResolvedByTheGivenResolverAndRefusedWithoutOne() {
        String json = "{\"7FE00010\":{\"vr\":\"OW\",\"BulkDataURI\":\"http://pacs/bulk/1\"}}";

        Attributes ds = new DicomJsonReader((tag, vr, uri) -> uri.endsWith("/1") ? new byte[] {7, 0} : null).read(json);

        assertThat(ds.getBytes(Tag.PIXEL_DATA)).containsExactly(7, 0);
        assertThat(new DicomJsonReader(BulkDataResolver.EMPTY).read(json).isEmptyValue(Tag.PIXEL_DATA))
                .isTrue();
        assertThatThrownBy(() -> reader.read(json))
                .isInstanceOf(DicomJsonException.class)
                .hasMessage("DICOM JSON (7FE0,0010) at line 1, column 38: BulkDataURI http://pacs/bulk/1 was not"
                        + " resolved (this reader was given no resolver for it)");
    }

    /** Each input breaks one rule; the message names the attribute and the rule. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            unknown VR                 | {"00100010":{"vr":"XX","Value":["A"]}}                | DICOM JSON (0010,0010) at line 1, column 19: unknown VR "XX"
            VR not a string            | {"00100010":{"vr":7}}                                 | DICOM JSON (0010,0010) at line 1, column 19: "vr" must be a string, not a number
            no VR                      | {"00100010":{"Value":["A"]}}                          | DICOM JSON (0010,0010) at line 1, column 27: the attribute has no "vr"
            key of seven digits        | {"0010001":{"vr":"PN"}}                               | DICOM JSON at line 1, column 2: key "0010001" is not a tag of eight hex digits
            keyword as key             | {"PatientName":{"vr":"PN"}}                           | DICOM JSON at line 1, column 2: key "PatientName" is not a tag of eight hex digits
            non-hex key                | {"0010001G":{"vr":"PN"}}                              | DICOM JSON at line 1, column 2: key "0010001G" is not a tag of eight hex digits
            item tag as key            | {"FFFEE000":{"vr":"SQ"}}                              | DICOM JSON at line 1, column 2: key "FFFEE000" is an item delimitation tag, not an attribute
            attribute not an object    | {"00100020":"PID"}                                    | DICOM JSON (0010,0020) at line 1, column 13: an attribute must be an object with "vr", not a string
            Value not an array         | {"00100020":{"vr":"LO","Value":"PID"}}                | DICOM JSON (0010,0020) at line 1, column 32: "Value" must be an array, not a string
            number for LO              | {"00100020":{"vr":"LO","Value":[12]}}                 | DICOM JSON (0010,0020) at line 1, column 33: LO values must be strings (or null), not a number
            number for PN              | {"00100010":{"vr":"PN","Value":[12]}}                 | DICOM JSON (0010,0010) at line 1, column 33: PN values must be objects with Alphabetic, Ideographic, Phonetic (or strings, or null), not a number
            unknown PN group           | {"00100010":{"vr":"PN","Value":[{"Kanji":"X"}]}}      | DICOM JSON (0010,0010) at line 1, column 34: unknown person name component group "Kanji"; expected Alphabetic, Ideographic or Phonetic
            object for IS              | {"00201206":{"vr":"IS","Value":[{}]}}                 | DICOM JSON (0020,1206) at line 1, column 33: IS values must be numbers or strings (or null), not an object
            string for US              | {"00280010":{"vr":"US","Value":["512"]}}              | DICOM JSON (0028,0010) at line 1, column 33: US values must be integers, not a string "512"
            fraction for US            | {"00280010":{"vr":"US","Value":[1.5]}}                | DICOM JSON (0028,0010) at line 1, column 33: US values must be integers, not a number 1.5
            US out of range            | {"00280010":{"vr":"US","Value":[65536]}}              | DICOM JSON (0028,0010) at line 1, column 33: US value 65536 is outside 0..65535
            SS out of range            | {"00189219":{"vr":"SS","Value":[-32769]}}             | DICOM JSON (0018,9219) at line 1, column 33: SS value -32769 is outside -32768..32767
            null for UL                | {"00181310":{"vr":"UL","Value":[null]}}               | DICOM JSON (0018,1310) at line 1, column 33: UL values must be integers, not null
            UV negative                | {"0072007F":{"vr":"UV","Value":[-1]}}                 | DICOM JSON (0072,007F) at line 1, column 33: UV value "-1" is not an integer in the range of UV
            FD out of range            | {"00186028":{"vr":"FD","Value":[1E400]}}              | DICOM JSON (0018,6028) at line 1, column 33: FD value 1E400 is outside the range of a 64-bit float
            FL arbitrary string        | {"0018602C":{"vr":"FL","Value":["1.5"]}}              | DICOM JSON (0018,602C) at line 1, column 33: FL value "1.5" is a string; only NaN, Infinity, -Infinity may be
            AT not hex                 | {"00280009":{"vr":"AT","Value":["0018106"]}}          | DICOM JSON (0028,0009) at line 1, column 33: AT value "0018106" is not a tag of eight hex digits
            AT as number               | {"00280009":{"vr":"AT","Value":[1577059]}}            | DICOM JSON (0028,0009) at line 1, column 33: AT values must be strings of eight hex digits, not a number
            item not an object         | {"00400275":{"vr":"SQ","Value":["item"]}}             | DICOM JSON (0040,0275) at line 1, column 33: a sequence item must be an object, not a string
            Value for OB               | {"00420011":{"vr":"OB","Value":["AQID"]}}             | DICOM JSON (0042,0011) at line 1, column 32: OB values are written as InlineBinary or BulkDataURI, not as "Value"
            InlineBinary for LO        | {"00100020":{"vr":"LO","InlineBinary":"AQID"}}        | DICOM JSON (0010,0020) at line 1, column 39: InlineBinary is only for OB, OD, OF, OL, OV, OW and UN, not LO
            BulkDataURI for PN         | {"00100010":{"vr":"PN","BulkDataURI":"x"}}            | DICOM JSON (0010,0010) at line 1, column 38: a BulkDataURI is not allowed for PN (PS3.18 §F.2.2)
            Value and InlineBinary     | {"00091010":{"vr":"UN","InlineBinary":"AQ==","Value":[]}} | DICOM JSON (0009,1010) at line 1, column 54: has both "InlineBinary" and "Value"; an attribute holds at most one of Value, InlineBinary, BulkDataURI
            bad base64                 | {"00091010":{"vr":"UN","InlineBinary":"A*=="}}        | DICOM JSON (0009,1010) at line 1, column 42: Illegal character '*' (code 0x2a) in base64 content
            unknown property           | {"00100020":{"vr":"LO","value":["x"]}}                | DICOM JSON (0010,0020) at line 1, column 32: unknown property "value"; an attribute has "vr" and one of Value, InlineBinary, BulkDataURI
            tag twice                  | {"00100020":{"vr":"LO"},"00100020":{"vr":"LO"}}       | DICOM JSON (0010,0020) at line 1, column 25: the tag appears twice in one data set
            array for one data set     | [{"00100020":{"vr":"LO"}}]                            | DICOM JSON at line 1, column 1: a DICOM JSON data set must be a JSON object, not an array
            content after the object   | {"00100020":{"vr":"LO"}} {}                           | DICOM JSON at line 1, column 26: more content (an object) after the end of the DICOM JSON document
            empty document             | ''                                                    | DICOM JSON at line 1, column 0: a DICOM JSON data set must be a JSON object, not the end of the document
            """)
    void malformedDocumentsAreRefusedNamingTheAttribute(String rule, String json, String message) {
        assertThatThrownBy(() -> reader.read(json))
                .isInstanceOf(DicomJsonException.class)
                .hasMessage(message);
    }

    @Test
    void anErrorInsideASequenceItemGivesTheWholeTagPath() {
        String json = "{\"00400275\":{\"vr\":\"SQ\",\"Value\":[{},{\"00401001\":{\"vr\":\"LO\",\"Value\":[1]}}]}}";

        assertThatThrownBy(() -> reader.read(json))
                .isInstanceOf(DicomJsonException.class)
                .hasMessage("DICOM JSON (0040,0275)[1].(0040,1001) at line 1, column 68: LO values must be strings"
                        + " (or null), not a number");
    }

    @Test
    void truncatedJsonIsRefusedNamingWhereTheReaderWas() {
        String json = "{\"00100020\":{\"vr\":\"LO\",\"Value\":[\"PI";

        assertThatThrownBy(() -> reader.read(json))
                .isInstanceOf(DicomJsonException.class)
                .hasMessageStartingWith("DICOM JSON (0010,0020) at line 1, column ")
                .hasMessageContaining("Unexpected end-of-input");
    }

    @Test
    void nestingBeyondTheLimitIsRefusedBeforeTheStackIs() {
        DicomJsonReader shallow = new DicomJsonReader(BulkDataResolver.REJECT, 8, 1000);
        String nested = "{\"00400275\":{\"vr\":\"SQ\",\"Value\":[".repeat(3) + "{}" + "]}}".repeat(3);

        assertThatThrownBy(() -> shallow.read(nested))
                .isInstanceOf(DicomJsonException.class)
                .hasMessageStartingWith("DICOM JSON (0040,0275)[0].(0040,0275)[0].(0040,0275) at line 1, column ")
                .hasMessageContaining("nesting depth (9) exceeds the maximum allowed (8");
        assertThat(reader.read(nested).getSequence(0x00400275).get(0).getSequence(0x00400275))
                .isNotNull();
    }

    @Test
    void aStringLongerThanTheLimitIsRefused() {
        DicomJsonReader small = new DicomJsonReader(BulkDataResolver.REJECT, 100, 10);

        assertThatThrownBy(() -> small.read("{\"00081030\":{\"vr\":\"LO\",\"Value\":[\"" + "x".repeat(64) + "\"]}}"))
                .isInstanceOf(DicomJsonException.class)
                .hasMessageStartingWith("DICOM JSON (0008,1030) at line 1, column ")
                .hasMessageContaining("String value length");
    }

    /** Found by DicomJsonReaderFuzzTest: bad text came out as an UncheckedIOException, as if reading had failed. */
    @Test
    void bytesThatAreNotTextInTheDocumentsEncodingAreBadInputNotAnIoFailure() {
        // "00 00 00 7B" starts a UTF-32BE "{"; 7B22FF07 is no code point (Jackson reports it as 0x7b21ff07)
        byte[] document = {0, 0, 0, 0x7B, 0x7B, 0x22, (byte) 0xFF, 0x07};

        assertThatThrownBy(() -> reader.read(document))
                .isExactlyInstanceOf(DicomJsonException.class)
                .hasMessage("DICOM JSON: not valid text: Invalid UTF-32 character 0x7b21ff07"
                        + " (above 0x0010ffff) at char #1, byte #7)");
        assertThatThrownBy(() -> reader.readEach(new ByteArrayInputStream(document), ds -> {}))
                .isExactlyInstanceOf(DicomJsonException.class)
                .hasMessageContaining("not valid text: Invalid UTF-32 character 0x7b21ff07");
    }

    /** Found by DicomJsonReaderFuzzTest: the encoding check of the first bytes threw Jackson's own exception. */
    @Test
    void firstBytesInAnEncodingJacksonCannotReadAreBadInput() {
        // 00 00 xx 00 looks like UCS-4 in the unusual octet order 2143
        byte[] document = {0, 0, 0x20, 0, '{', '}', ' ', ' '};

        assertThatThrownBy(() -> reader.read(document))
                .isExactlyInstanceOf(DicomJsonException.class)
                .hasMessage("DICOM JSON: not valid text: Unsupported UCS-4 endianness (2143) detected");
        assertThatThrownBy(() -> reader.readList(document))
                .isExactlyInstanceOf(DicomJsonException.class)
                .hasMessage("DICOM JSON: not valid text: Unsupported UCS-4 endianness (2143) detected");
    }
}
