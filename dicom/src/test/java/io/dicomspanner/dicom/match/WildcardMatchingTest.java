package io.dicomspanner.dicom.match;

import static io.dicomspanner.dicom.match.Identifiers.matches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PS3.4 C.2.2.2.4 Wild Card Matching. */
class WildcardMatchingTest {

    private static final int STUDY_DESCRIPTION = Tag.STUDY_DESCRIPTION;

    /** "*" matches any sequence of characters, including none; "?" exactly one character. Case-sensitive. */
    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            CT*       | CT HEAD    | true
            CT*       | CT         | true
            *HEAD     | CT HEAD    | true
            *HEAD     | CT HEADS   | false
            C?        | CT         | true
            C?        | C          | false
            C?        | CTA        | false
            ?T?HEAD   | CT HEAD    | true
            a*b*c     | aXXbYYc    | true
            a*b*c     | aXXbYY     | false
            *ab       | aab        | true
            a*a*a     | aaa        | true
            a*a*a     | aa         | false
            *a*a*a*b  | aaaaaaaaaa | false
            ct*       | CT HEAD    | false
            """)
    void starMatchesAnySequenceAndQuestionMarkOneCharacter(String key, String candidate, boolean expected) {
        assertThat(matches(STUDY_DESCRIPTION, VR.LO, key, candidate)).isEqualTo(expected);
    }

    /** "?" is one character, not one byte: a kanji is 3 bytes in UTF-8, a mathematical letter 2 UTF-16 units. */
    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            ?     | 山    | true
            ??    | 山    | false
            ???   | 山    | false
            頭?   | 頭部  | true
            ?     | 𝔸     | true
            ??    | 𝔸     | false
            ?𝔸?   | x𝔸y   | true
            """)
    void questionMarkIsOneUnicodeCharacter(String key, String candidate, boolean expected) {
        assertThat(matches(STUDY_DESCRIPTION, VR.LO, key, candidate)).isEqualTo(expected);
    }

    /** Every VR that takes wild cards: AE, CS, LO, LT, PN, SH, ST, UC, UR, UT. */
    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            0008,0055 | AE
            0008,0060 | CS
            0008,1030 | LO
            0010,4000 | LT
            0010,0010 | PN
            0008,0050 | SH
            0008,0081 | ST
            0008,0119 | UC
            0040,E010 | UR
            0010,0218 | UT
            """)
    void everyTextVrOfTheStandardsListTakesWildcards(String tag, String vr) {
        int t = SingleValueMatchingTest.tagOf(tag);
        assertThat(matches(t, VR.valueOf(vr), "AB?D*", "ABCDEF")).isTrue();
        assertThat(matches(t, VR.valueOf(vr), "AB?D*", "ABCEF")).isFalse();
    }

    /** Wild cards are not defined for dates, times, UIDs and numbers, so such keys are rejected. */
    @ParameterizedTest(name = "{1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            0008,0020 | DA | 2024*
            0008,0030 | TM | 12?0
            0008,002A | DT | 2024*
            0020,000D | UI | 1.2.*
            0020,000D | UI | *
            0020,0011 | IS | 1*
            0018,0050 | DS | 1.?
            """)
    void wildcardsAreRejectedWhereNoWildcardMatchingExists(String tag, String vr, String key) {
        int t = SingleValueMatchingTest.tagOf(tag);
        assertThatThrownBy(() -> QueryMatcher.compile(Identifiers.with(t, VR.valueOf(vr), key), MatchOptions.SCP))
                .isInstanceOf(InvalidMatchingKeyException.class)
                .hasMessageStartingWith(KeyCompiler.describe(null, t) + ": ");
    }

    /** Age strings take no wild cards either (not in the list of C.2.2.2.4): "*" is an ordinary, invalid character. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"0*Y", "*"})
    void agesTakeNoWildcards(String key) {
        assertThatThrownBy(() -> Identifiers.matches(0x00101010, VR.AS, key, "045Y"))
                .isInstanceOf(InvalidMatchingKeyException.class)
                .hasMessage("PatientAge (0010,1010): an age is nnnD, nnnW, nnnM or nnnY");
    }
}
