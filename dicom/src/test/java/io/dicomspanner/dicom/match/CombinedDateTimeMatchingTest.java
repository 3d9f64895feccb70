package io.dicomspanner.dicom.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * PS3.4 C.2.2.2.5.4: with combined date-time matching, a DA and a TM that both specify Range Matching are matched as
 * one DT range. The standard's own example: StudyDate "20060705-20060707" with StudyTime "1000-1800" is the period from
 * July 5, 10:00 to July 7, 18:00, not 10:00 to 18:00 on each of the three days.
 */
class CombinedDateTimeMatchingTest {

    private static final MatchOptions COMBINED = MatchOptions.SCP.withCombinedDateTime(true);

    @ParameterizedTest(name = "{0} {1}: separate {2}, combined {3}")
    @CsvSource(delimiter = '|', textBlock = """
            20060706 | 0800   | false | true
            20060706 | 2200   | false | true
            20060705 | 0959   | false | false
            20060705 | 1000   | true  | true
            20060705 | 0900   | false | false
            20060707 | 180059 | true  | true
            20060707 | 1801   | false | false
            20060707 | 0900   | false | true
            20060708 | 1200   | false | false
            """)
    void theStandardsExample(String date, String time, boolean separate, boolean combined) {
        Attributes identifier = study("20060705-20060707", "1000-1800");
        Attributes candidate = study(date, time);

        assertThat(QueryMatcher.compile(identifier, MatchOptions.SCP).matches(candidate))
                .isEqualTo(separate);
        assertThat(QueryMatcher.compile(identifier, COMBINED).matches(candidate))
                .isEqualTo(combined);
    }

    /** Open ranges: a missing time bound is the start or the end of the day. */
    @ParameterizedTest(name = "{0} {1}, candidate {2} {3} -> {4}")
    @CsvSource(delimiter = '|', textBlock = """
            20240105-          | 1200-      | 20240105 | 1159 | false
            20240105-          | 1200-      | 20240105 | 1200 | true
            20240105-          | 1200-      | 20240301 | 0000 | true
            -20240105          | -1200      | 20240105 | 1201 | false
            -20240105          | -1200      | 20240104 | 2300 | true
            20240105-20240107  | 1200-      | 20240107 | 2359 | true
            20240105-20240107  | -1200      | 20240105 | 0000 | true
            """)
    void openRanges(String dateKey, String timeKey, String date, String time, boolean expected) {
        assertThat(QueryMatcher.compile(study(dateKey, timeKey), COMBINED).matches(study(date, time)))
                .isEqualTo(expected);
    }

    /** As one range, a time range may "end before it starts" when the days differ: 17:00 on the 5th to 08:00 on the 7th. */
    @Test
    void aTimeRangeThatWrapsIsFineWhenCombinedWithADateRange() {
        QueryMatcher matcher = QueryMatcher.compile(study("20240105-20240107", "1700-0800"), COMBINED);

        assertThat(matcher.matches(study("20240106", "0300"))).isTrue();
        assertThat(matcher.matches(study("20240105", "1600"))).isFalse();
        assertThat(matcher.matches(study("20240107", "0900"))).isFalse();
        assertThatThrownBy(() -> QueryMatcher.compile(study("20240105-20240107", "1700-0800"), MatchOptions.SCP))
                .isInstanceOf(InvalidMatchingKeyException.class)
                .hasMessageStartingWith("StudyTime (0008,0030): ");
    }

    @Test
    void aCombinedRangeThatEndsBeforeItStartsIsRejected() {
        assertThatThrownBy(() -> QueryMatcher.compile(study("20240105-20240105", "1700-0800"), COMBINED))
                .isInstanceOf(InvalidMatchingKeyException.class)
                .hasMessage("StudyDate (0008,0020): the combined date-time range starts after it ends"
                        + " (PS3.4 C.2.2.2.5.4)");
    }

    /** Only two ranges combine; a single date with a time range means the same either way and matches separately. */
    @ParameterizedTest(name = "{0} {1}, candidate {2} {3} -> {4}")
    @CsvSource(delimiter = '|', textBlock = """
            20060705          | 1000-1800 | 20060705 | 1200 | true
            20060705          | 1000-1800 | 20060706 | 1200 | false
            20060705-20060707 | 1000      | 20060706 | 1000 | true
            20060705-20060707 | 1000      | 20060706 | 1100 | false
            20060705-20060707 | ''        | 20060706 | 0300 | true
            """)
    void anythingButTwoRangesMatchesSeparately(
            String dateKey, String timeKey, String date, String time, boolean expected) {
        assertThat(QueryMatcher.compile(study(dateKey, timeKey), COMBINED).matches(study(date, time)))
                .isEqualTo(expected);
    }

    /**
     * A candidate without a time is its whole day: inside the range when the whole day is, outside when none of it is,
     * unknown (excluded by an SCP, kept by the re-check) when the range starts or ends during that day.
     */
    @ParameterizedTest(name = "candidate {0}: SCP {1}, re-check {2}")
    @CsvSource(delimiter = '|', textBlock = """
            20060706 | true  | true
            20060705 | false | true
            20060707 | false | true
            20060708 | false | false
            """)
    void aCandidateWithoutATimeIsItsWholeDay(String date, boolean scp, boolean recheck) {
        Attributes identifier = study("20060705-20060707", "1000-1800");
        Attributes candidate = new Attributes().setString(Tag.STUDY_DATE, VR.DA, date);

        assertThat(QueryMatcher.compile(identifier, COMBINED).matches(candidate))
                .isEqualTo(scp);
        assertThat(QueryMatcher.compile(identifier, COMBINED.withMissingValue(MissingValuePolicy.KEEP))
                        .matches(candidate))
                .isEqualTo(recheck);
    }

    /** Every DA whose keyword ends in "Date" pairs with the TM whose keyword ends in "Time" instead. */
    @Test
    void otherDateAndTimePairsCombineToo() {
        int ppsStartDate = 0x00400244;
        int ppsStartTime = 0x00400245;
        Attributes identifier = new Attributes()
                .setString(ppsStartDate, VR.DA, "20240105-20240106")
                .setString(ppsStartTime, VR.TM, "2000-0600");
        Attributes candidate =
                new Attributes().setString(ppsStartDate, VR.DA, "20240105").setString(ppsStartTime, VR.TM, "2330");

        assertThat(QueryMatcher.compile(identifier, COMBINED).matches(candidate))
                .isTrue();
    }

    private static Attributes study(String date, String time) {
        Attributes ds = new Attributes().setString(Tag.STUDY_DATE, VR.DA, date);
        return time.isEmpty() ? ds.setNull(Tag.STUDY_TIME, VR.TM) : ds.setString(Tag.STUDY_TIME, VR.TM, time);
    }
}
