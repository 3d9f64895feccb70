package io.dicomspanner.dicom.match;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The check the QIDO-RS layer runs on each query parameter before answering 400 or sending anything. */
class KeyValidatorTest {

    @ParameterizedTest(name = "{1} {2}")
    @CsvSource(
            value = {
                "0008,0020 | DA | 20240105",
                "0008,0020 | DA | 20240101-20240131",
                "0008,0020 | DA | -20240131",
                "0008,0030 | TM | 1000-1800",
                "0008,002A | DT | 20240105120000.5+0100-",
                "0010,0010 | PN | Doe^J*",
                "0010,0010 | PN | Yamada^Tarou=山田^太郎=やまだ^たろう",
                "0010,0010 | PN | *",
                "0020,000D | UI | 1.2.840.10008.1\\1.2.3",
                "0020,0011 | IS | -12",
                "0018,0050 | DS | 1.5E-3",
                "0028,0010 | US | 65535",
                "0008,0061 | CS | CT\\PT",
                "0010,1010 | AS | 030Y",
                "0020,9167 | AT | 0010001F",
                "0008,0201 | SH | -0500",
                "0010,0020 | LO | ''",
            },
            delimiter = '|')
    void validKeysPass(String tag, String vr, String value) {
        assertThatCode(() -> KeyValidator.validate(SingleValueMatchingTest.tagOf(tag), VR.valueOf(vr), value))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{1} {2}")
    @CsvSource(
            value = {
                "0010,0030 | DA | 19801332 | PatientBirthDate (0010,0030): not a DA value or range: the month is out of range",
                "0008,0030 | TM | 1700-0800 | StudyTime (0008,0030): not a TM value or range: the range starts after it ends; TM ranges do not cross midnight (PS3.4 C.2.2.2.5.2)",
                "0010,0010 | PN | a=b=c=d | PatientName (0010,0010): a person name has at most 3 component groups separated by '='",
                "0010,0010 | PN | a^b^c^d^e^f | PatientName (0010,0010): a person name group has at most 5 components separated by '^'",
                "0020,0011 | IS | 1.5 | SeriesNumber (0020,0011): not an integer",
                "0020,0011 | IS | 2147483648 | SeriesNumber (0020,0011): out of range for VR IS",
                "0028,0010 | US | 65536 | Rows (0028,0010): out of range for VR US",
                "0028,0010 | US | -1 | Rows (0028,0010): out of range for VR US",
                "0018,0050 | DS | 1,5 | SliceThickness (0018,0050): not a decimal number",
                "0020,9167 | AT | 0010001 | FunctionalGroupPointer (0020,9167): an attribute tag is 8 hex digits",
                "0008,0201 | SH | +1500 | TimezoneOffsetFromUTC (0008,0201): a UTC offset lies between -1200 and +1400",
                "0008,0201 | SH | 0100 | TimezoneOffsetFromUTC (0008,0201): a UTC offset is &ZZXX",
                "0040,0275 | SQ | x | RequestAttributesSequence (0040,0275): a sequence is matched through the keys of its item (PS3.4 C.2.2.2.6)",
                "7FE0,0010 | OB | x | PixelData (7FE0,0010): values of VR OB cannot be matched",
            },
            delimiter = '|')
    void invalidKeysAreRejectedNamingTheAttribute(String tag, String vr, String value, String message) {
        int t = SingleValueMatchingTest.tagOf(tag);
        assertThatThrownBy(() -> KeyValidator.validate(t, VR.valueOf(vr), value))
                .isInstanceOf(InvalidMatchingKeyException.class)
                .hasMessage(message);
    }

    /** Empty Value Matching is valid only where it was asked for. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"\"\""})
    void twoQuotesAreAValidDateOnlyWithEmptyValueMatching(String value) {
        assertThatCode(() -> KeyValidator.validate(
                        Tag.STUDY_DATE, VR.DA, value, MatchOptions.SCP.withEmptyValueMatching(true)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> KeyValidator.validate(Tag.STUDY_DATE, VR.DA, value))
                .isInstanceOf(InvalidMatchingKeyException.class);
    }
}
