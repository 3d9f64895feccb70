package io.dicomspanner.dicom.match;

import static io.dicomspanner.dicom.match.Identifiers.matches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PS3.4 C.2.2.2.5 Range Matching of DA, TM and DT. */
class RangeMatchingTest {

    private static final int ACQUISITION_DATE_TIME = 0x0008002A;

    /** C.2.2.2.5.1: "<date1> - <date2>" inclusive, "- <date1>" up to and including, "<date1> -" from. */
    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            20240101-20240131 | 20240115   | true
            20240101-20240131 | 20240101   | true
            20240101-20240131 | 20240131   | true
            20240101-20240131 | 20231231   | false
            20240101-20240131 | 20240201   | false
            20240101-20240131 | 2024.01.15 | true
            20240101-20240131 | 2024.02.01 | false
            -20240131         | 19000101   | true
            -20240131         | 20240131   | true
            -20240131         | 20240201   | false
            20240101-         | 99991231   | true
            20240101-         | 20240101   | true
            20240101-         | 20231231   | false
            20240101-20240101 | 20240101   | true
            """)
    void dateRanges(String key, String candidate, boolean expected) {
        assertThat(matches(Tag.STUDY_DATE, VR.DA, key, candidate)).isEqualTo(expected);
    }

    /**
     * C.2.2.2.5.2, with the precision rule of Single Value Matching: the upper bound "1700" covers the whole minute
     * 17:00, so 17:00:59 is inside.
     */
    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            0800-1700 | 1200          | true
            0800-1700 | 0800          | true
            0800-1700 | 080000.000000 | true
            0800-1700 | 075959.999999 | false
            0800-1700 | 170059.999999 | true
            0800-1700 | 1701          | false
            0800-17   | 175959        | true
            0800-17   | 18            | false
            -1200     | 0000          | true
            -1200     | 1201          | false
            1200-     | 235959.999999 | true
            1200-     | 115959        | false
            0800-1700 | 12:30:00      | true
            0800-1700 | 17:30         | false
            """)
    void timeRanges(String key, String candidate, boolean expected) {
        assertThat(matches(Tag.STUDY_TIME, VR.TM, key, candidate)).isEqualTo(expected);
    }

    /**
     * C.2.2.2.5.3: "The offset from Universal Coordinated Time, if present in the Value of the Attribute, shall be
     * taken into account". A '-' may also be the sign of an offset.
     */
    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            20240105-20240106                               | 20240106235959.999999 | true
            20240105-20240106                               | 20240107              | false
            20240105-20240106                               | 20240104235959        | false
            -2023                                           | 20231231235959        | true
            -2023                                           | 20240101              | false
            202401-                                         | 20240101000000        | true
            202401-                                         | 20231231235959        | false
            20240105120000+0100-20240105130000+0100         | 20240105113000+0000   | true
            20240105120000+0100-20240105130000+0100         | 20240105123000+0000   | false
            20240105120000-0500-20240105130000-0500         | 20240105173000+0000   | true
            20240105120000-0500-                            | 20240105163000+0000   | false
            -20240105120000-0500                            | 20240105163000+0000   | true
            2024-0500                                       | 20240601120000-0500   | true
            2024-2025                                       | 20250601              | true
            """)
    void dateTimeRanges(String key, String candidate, boolean expected) {
        assertThat(matches(ACQUISITION_DATE_TIME, VR.DT, key, candidate)).isEqualTo(expected);
    }

    /** A DT key without offsets takes the identifier's Timezone Offset From UTC (0008,0201). */
    @Test
    void dateTimeKeysTakeTheIdentifiersTimezoneOffset() {
        Attributes identifier = Identifiers.with(ACQUISITION_DATE_TIME, VR.DT, "20240105120000-20240105130000");
        identifier.setString(Tag.TIMEZONE_OFFSET_FROM_UTC, VR.SH, "+0900");
        QueryMatcher matcher = QueryMatcher.compile(identifier, MatchOptions.SCP);

        assertThat(matcher.matches(Identifiers.with(ACQUISITION_DATE_TIME, VR.DT, "20240105033000+0000")))
                .isTrue();
        assertThat(matcher.matches(Identifiers.with(ACQUISITION_DATE_TIME, VR.DT, "20240105123000+0000")))
                .isFalse();
    }

    @Test
    void aMalformedTimezoneOffsetInTheIdentifierIsRejected() {
        Attributes identifier = Identifiers.with(ACQUISITION_DATE_TIME, VR.DT, "20240105-");
        identifier.setString(Tag.TIMEZONE_OFFSET_FROM_UTC, VR.SH, "+1500");

        assertThatThrownBy(() -> QueryMatcher.compile(identifier, MatchOptions.SCP))
                .isInstanceOf(InvalidMatchingKeyException.class)
                .hasMessage("TimezoneOffsetFromUTC (0008,0201): a UTC offset lies between -1200 and +1400");
    }

    /** Malformed keys are rejected at construction, naming the attribute and the defect but not the value (PHI). */
    @ParameterizedTest(name = "{1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            0008,0020 | DA | 2024-13-01        | StudyDate (0008,0020): not a DA value or range: a date range has one '-' (YYYYMMDD-YYYYMMDD, -YYYYMMDD or YYYYMMDD-)
            0008,0020 | DA | 20241301          | StudyDate (0008,0020): not a DA value or range: the month is out of range
            0008,0020 | DA | 20240230          | StudyDate (0008,0020): not a DA value or range: the day is out of range for its month
            0008,0020 | DA | abc               | StudyDate (0008,0020): not a DA value or range: a date is 8 digits, YYYYMMDD
            0008,0020 | DA | 2024.01.05        | StudyDate (0008,0020): not a DA value or range: a date is 8 digits, YYYYMMDD
            0008,0020 | DA | -                 | StudyDate (0008,0020): not a DA value or range: a range needs at least one bound
            0008,0020 | DA | 20240131-20240101 | StudyDate (0008,0020): not a DA value or range: the range starts after it ends (PS3.4 C.2.2.2.5.1)
            0010,0030 | DA | 19801332          | PatientBirthDate (0010,0030): not a DA value or range: the month is out of range
            0008,0030 | TM | 1700-0800         | StudyTime (0008,0030): not a TM value or range: the range starts after it ends; TM ranges do not cross midnight (PS3.4 C.2.2.2.5.2)
            0008,0030 | TM | 2400              | StudyTime (0008,0030): not a TM value or range: the hour is out of range
            0008,0030 | TM | 1260              | StudyTime (0008,0030): not a TM value or range: the minute is out of range
            0008,0030 | TM | 123061            | StudyTime (0008,0030): not a TM value or range: the second is out of range
            0008,0030 | TM | 123                | StudyTime (0008,0030): not a TM value or range: a time is HH, HHMM, HHMMSS or HHMMSS.FFFFFF
            0008,0030 | TM | 1230.5            | StudyTime (0008,0030): not a TM value or range: fractional seconds follow a full HHMMSS
            0008,0030 | TM | 123000.1234567    | StudyTime (0008,0030): not a TM value or range: fractional seconds are 1 to 6 digits
            0008,0030 | TM | 12:30:00          | StudyTime (0008,0030): not a TM value or range: a time is HH, HHMM, HHMMSS or HHMMSS.FFFFFF
            0008,002A | DT | 2025-2024         | AcquisitionDateTime (0008,002A): not a DT value or range: the range starts after it ends (PS3.4 C.2.2.2.5.3)
            0008,002A | DT | 20241301          | AcquisitionDateTime (0008,002A): not a DT value or range: the month is out of range
            0008,002A | DT | 2024010        | AcquisitionDateTime (0008,002A): not a DT value or range: a date-time is YYYY[MM[DD[HH[MM[SS[.FFFFFF]]]]]][&ZZXX]
            0008,002A | DT | 2024x-2025     | AcquisitionDateTime (0008,002A): not a DT value or range: not a date-time (YYYYMMDDHHMMSS.FFFFFF&ZZXX) or a range of them
            0008,002A | DT | 20240105+1500     | AcquisitionDateTime (0008,002A): not a DT value or range: a UTC offset lies between -1200 and +1400
            0008,002A | DT | 0100-0200         | AcquisitionDateTime (0008,002A): not a DT value or range: ambiguous: '-' reads both as a range separator and as a UTC offset sign
            """)
    void malformedKeysAreRejectedWithAClearMessage(String tag, String vr, String key, String message) {
        int t = SingleValueMatchingTest.tagOf(tag);
        assertThatThrownBy(() -> QueryMatcher.compile(Identifiers.with(t, VR.valueOf(vr), key), MatchOptions.SCP))
                .isInstanceOf(InvalidMatchingKeyException.class)
                .hasMessage(message)
                .satisfies(
                        e -> assertThat(((InvalidMatchingKeyException) e).tag()).isEqualTo(t));
    }

    /** Studies without a StudyDate vanish behind date filters in an SCP (OHIF/Viewers#2249), not in the re-check. */
    @ParameterizedTest(name = "candidate {0}")
    @CsvSource(
            value = {"NULL", "''", "2024", "20240230", "abc"},
            nullValues = "NULL")
    void absentEmptyOrUnreadableCandidateDatesAreUnknown(String candidate) {
        assertThat(matches(Tag.STUDY_DATE, VR.DA, "20240101-20240131", candidate, MatchOptions.SCP))
                .isFalse();
        assertThat(matches(Tag.STUDY_DATE, VR.DA, "20240101-20240131", candidate, MatchOptions.RECHECK))
                .isTrue();
    }
}
