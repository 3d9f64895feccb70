package io.dicomspanner.dicom.match;

import static io.dicomspanner.dicom.match.Identifiers.matches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PS3.4 C.2.2.2.7 Empty Value Matching: the key "" (two QUOTATION MARKs), when negotiated. */
class EmptyValueMatchingTest {

    private static final MatchOptions EMPTY_VALUE = MatchOptions.SCP.withEmptyValueMatching(true);
    private static final String TWO_QUOTES = "\"\"";

    @ParameterizedTest(name = "{1} vs {2} -> {3}")
    @CsvSource(
            value = {
                "0008,0050 | SH | NULL | true",
                "0008,0050 | SH | '' | true",
                "0008,0050 | SH | A1 | false",
                "0008,0020 | DA | NULL | true",
                "0008,0020 | DA | 20240105 | false",
                "0010,0010 | PN | '' | true",
                "0010,0010 | PN | Doe | false",
                "0020,0011 | IS | 0 | false",
            },
            delimiter = '|',
            nullValues = "NULL")
    void twoQuotesMatchOnlyEmptyOrAbsentValues(String tag, String vr, String candidate, boolean expected) {
        int t = SingleValueMatchingTest.tagOf(tag);
        assertThat(matches(t, VR.valueOf(vr), TWO_QUOTES, candidate, EMPTY_VALUE))
                .isEqualTo(expected);
        assertThat(matches(
                        t,
                        VR.valueOf(vr),
                        TWO_QUOTES,
                        candidate,
                        EMPTY_VALUE.withMissingValue(MissingValuePolicy.KEEP)))
                .isEqualTo(expected);
    }

    /** Without the negotiation, "" is an ordinary value: a literal for text, and no date at all. */
    @Test
    void withoutTheOptionTwoQuotesAreAnOrdinaryValue() {
        assertThat(matches(Tag.ACCESSION_NUMBER, VR.SH, TWO_QUOTES, TWO_QUOTES)).isTrue();
        assertThat(matches(Tag.ACCESSION_NUMBER, VR.SH, TWO_QUOTES, null)).isFalse();
        assertThatThrownBy(() -> matches(Tag.STUDY_DATE, VR.DA, TWO_QUOTES, null))
                .isInstanceOf(InvalidMatchingKeyException.class)
                .hasMessage("StudyDate (0008,0020): not a DA value or range: a date is 8 digits, YYYYMMDD");
    }
}
