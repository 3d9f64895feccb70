package io.dicomspanner.dicom.match;

import static io.dicomspanner.dicom.match.Identifiers.matches;
import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PS3.4 C.2.2.2.1 Single Value Matching. */
class SingleValueMatchingTest {

    /** "only entities with values that match exactly ... This matching is case-sensitive". */
    @ParameterizedTest(name = "AccessionNumber {0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            A123     | A123       | true
            A123     | 'A123  '   | true
            A123     | a123       | false
            A123     | A1234      | false
            A123     | A12        | false
            """)
    void textMatchesExactlyAndCaseSensitively(String key, String candidate, boolean expected) {
        assertThat(matches(Tag.ACCESSION_NUMBER, VR.SH, key, candidate)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "Modality {0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            CT | CT | true
            CT | ct | false
            CT | CR | false
            """)
    void codeStringsAreCaseSensitiveToo(String key, String candidate, boolean expected) {
        assertThat(matches(Tag.MODALITY, VR.CS, key, candidate)).isEqualTo(expected);
    }

    /** Numbers compare by value; IS "1.0" occurs in the wild (dicoogle#378). */
    @ParameterizedTest(name = "{1} {2} vs {3} -> {4}")
    @CsvSource(delimiter = '|', textBlock = """
            0020,0011 | IS | 007  | 7     | true
            0020,0011 | IS | +7   | 7     | true
            0020,0011 | IS | 7    | 8     | false
            0020,0011 | IS | 1    | 1.0   | true
            0020,0011 | IS | -3   | 3     | false
            0018,0050 | DS | 1.50 | 1.5   | true
            0018,0050 | DS | 1.5  | 15E-1 | true
            0018,0050 | DS | 1.5  | 1.25  | false
            """)
    void numbersMatchByValue(String tag, String vr, String key, String candidate, boolean expected) {
        assertThat(matches(tagOf(tag), VR.valueOf(vr), key, candidate)).isEqualTo(expected);
    }

    @Test
    void binaryNumbersMatchTheirDecimalForm() {
        int rows = 0x00280010;
        QueryMatcher matcher = QueryMatcher.compile(new Attributes().setString(rows, VR.US, "0512"), MatchOptions.SCP);
        assertThat(matcher.matches(new Attributes().setInt(rows, VR.US, 512))).isTrue();
        assertThat(matcher.matches(new Attributes().setInt(rows, VR.US, 256))).isFalse();
    }

    @Test
    void attributeTagsMatchInEitherHexCase() {
        int functionalGroupPointer = 0x00209167;
        QueryMatcher matcher = QueryMatcher.compile(
                new Attributes().setString(functionalGroupPointer, VR.AT, "0010001f"), MatchOptions.SCP);
        assertThat(matcher.matches(new Attributes().setInt(functionalGroupPointer, VR.AT, 0x0010001F)))
                .isTrue();
        assertThat(matcher.matches(new Attributes().setInt(functionalGroupPointer, VR.AT, 0x00100010)))
                .isFalse();
    }

    @ParameterizedTest(name = "PatientAge {0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            045Y | 045Y | true
            045Y | 045M | false
            """)
    void agesMatchExactly(String key, String candidate, boolean expected) {
        assertThat(matches(0x00101010, VR.AS, key, candidate)).isEqualTo(expected);
    }

    /** A date compares by meaning; candidates in the ACR-NEMA form YYYY.MM.DD are understood (PS3.5 Table 6.2-1). */
    @ParameterizedTest(name = "StudyDate {0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            20240105 | 20240105   | true
            20240105 | 2024.01.05 | true
            20240105 | 20240106   | false
            20240105 | 2024.01.06 | false
            """)
    void datesMatchByMeaning(String key, String candidate, boolean expected) {
        assertThat(matches(Tag.STUDY_DATE, VR.DA, key, candidate)).isEqualTo(expected);
    }

    /**
     * A key time covers what its precision covers ("2230" is the whole minute); a candidate is the start of what it
     * covers, so "2230" and "223000" match each other. Candidates may use the ACR-NEMA form HH:MM:SS.
     */
    @ParameterizedTest(name = "StudyTime {0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            2230          | 223000          | true
            223000        | 2230            | true
            2230          | 223059.999999   | true
            2230          | 2231            | false
            2230          | 222959          | false
            223000        | 223000.000000   | true
            223000.000000 | 223000          | true
            223000        | 223000.5        | true
            223000.5      | 223000          | false
            223000.5      | 223000.50       | true
            22            | 225959          | true
            22            | 23              | false
            2230          | 22:30:00        | true
            2230          | 22:30           | true
            2230          | 22:31:00        | false
            """)
    void timesMatchByMeaning(String key, String candidate, boolean expected) {
        assertThat(matches(Tag.STUDY_TIME, VR.TM, key, candidate)).isEqualTo(expected);
    }

    /**
     * DT values with precision and UTC offsets: compared in UTC when both carry an offset, as local date-times when
     * one does not.
     */
    @ParameterizedTest(name = "AcquisitionDateTime {0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            20240105223000      | 20240105223000.123  | true
            20240105            | 20240105120000      | true
            20240105            | 20240106            | false
            202401              | 20240131235959      | true
            2024                | 20250101            | false
            20240105120000+0100 | 20240105110000+0000 | true
            20240105120000+0100 | 20240105120000+0000 | false
            20240105120000+0100 | 20240105120000      | true
            20240105120000      | 20240105130000+0100 | false
            """)
    void dateTimesMatchByMeaning(String key, String candidate, boolean expected) {
        assertThat(matches(0x0008002A, VR.DT, key, candidate)).isEqualTo(expected);
    }

    @Test
    void aDateTimeWithoutOffsetTakesItsDataSetsTimezoneOffsetFromUtc() {
        int acquisitionDateTime = 0x0008002A;
        QueryMatcher matcher = QueryMatcher.compile(
                Identifiers.with(acquisitionDateTime, VR.DT, "20240105120000+0100"), MatchOptions.SCP);
        Attributes inUtc = Identifiers.with(acquisitionDateTime, VR.DT, "20240105110000");
        inUtc.setString(Tag.TIMEZONE_OFFSET_FROM_UTC, VR.SH, "+0000");
        Attributes inBerlin = Identifiers.with(acquisitionDateTime, VR.DT, "20240105110000");
        inBerlin.setString(Tag.TIMEZONE_OFFSET_FROM_UTC, VR.SH, "+0100");

        assertThat(matcher.matches(inUtc)).isTrue();
        assertThat(matcher.matches(inBerlin)).isFalse();
    }

    static int tagOf(String groupCommaElement) {
        return Tag.parseHex(groupCommaElement.replace(",", ""));
    }
}
