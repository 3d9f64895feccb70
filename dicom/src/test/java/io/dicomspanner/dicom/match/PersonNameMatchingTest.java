package io.dicomspanner.dicom.match;

import static io.dicomspanner.dicom.match.Identifiers.matches;
import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * PN matching: PS3.4 C.2.2.2.1 (literal, case-insensitivity allowed for PN only) and C.2.2.2.4 (PN wild cards are
 * implementation dependent), with the component group rules of PS3.5 §6.2.1.
 */
class PersonNameMatchingTest {

    private static final MatchOptions CASE_INSENSITIVE = MatchOptions.SCP.withCaseInsensitivePersonName(true);

    /** Trailing "^" and spaces around components are not part of the name (dcm4chee-arc-light#881). */
    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            Doe^John     | Doe^John        | true
            Doe^John     | Doe^John^^^     | true
            Doe^John^^   | Doe^John        | true
            Doe^John     | 'Doe ^John '    | true
            Doe^John     | Doe^^John       | false
            Doe^John     | Doe^Jane        | false
            Doe          | Doe^John        | false
            Doe^John     | Doe             | false
            """)
    void trailingCaretsAndSpacesAreInsignificant(String key, String candidate, boolean expected) {
        assertThat(matches(Tag.PATIENT_NAME, VR.PN, key, candidate)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} vs {1}: case-sensitive {2}, case-insensitive {3}")
    @CsvSource(delimiter = '|', textBlock = """
            DOE^JOHN     | Doe^John     | false | true
            doe*         | Doe^John     | false | true
            MÜLLER^HANS  | Müller^Hans  | false | true
            d?e^john     | DOE^JOHN     | false | true
            Doe^John     | Doe^Johnny   | false | false
            """)
    void caseIsIgnoredOnlyWhenTheOptionSaysSo(
            String key, String candidate, boolean caseSensitive, boolean caseInsensitive) {
        assertThat(matches(Tag.PATIENT_NAME, VR.PN, key, candidate)).isEqualTo(caseSensitive);
        assertThat(matches(Tag.PATIENT_NAME, VR.PN, key, candidate, CASE_INSENSITIVE))
                .isEqualTo(caseInsensitive);
    }

    /**
     * A key without "=" matches any one component group of the candidate; a key with "=" compares group by group, and
     * its empty groups match anything.
     */
    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            Yamada^Tarou              | Yamada^Tarou=山田^太郎=やまだ^たろう | true
            山田^太郎                 | Yamada^Tarou=山田^太郎=やまだ^たろう | true
            やまだ^たろう             | Yamada^Tarou=山田^太郎=やまだ^たろう | true
            山田^花子                 | Yamada^Tarou=山田^太郎=やまだ^たろう | false
            Yamada^Tarou=山田^太郎    | Yamada^Tarou=山田^太郎=やまだ^たろう | true
            Yamada^Tarou=山田^花子    | Yamada^Tarou=山田^太郎=やまだ^たろう | false
            =山田^太郎                | Yamada^Tarou=山田^太郎               | true
            =山田^太郎                | Yamada^Hanako=山田^太郎              | true
            Yamada^Tarou=             | Yamada^Tarou=山田^太郎               | true
            Yamada^Tarou=             | Yamada^Tarou                         | true
            =山田^太郎                | Yamada^Tarou=山田^花子               | false
            """)
    void componentGroupsMatchSeparately(String key, String candidate, boolean expected) {
        assertThat(matches(Tag.PATIENT_NAME, VR.PN, key, candidate)).isEqualTo(expected);
    }

    /** A group the key asks for but the candidate lacks is unknown, so only the re-check role keeps it. */
    @Test
    void aMissingGroupIsExcludedByAnScpAndKeptByTheRecheck() {
        String key = "=山田^太郎";
        assertThat(matches(Tag.PATIENT_NAME, VR.PN, key, "Yamada^Tarou", MatchOptions.SCP))
                .isFalse();
        assertThat(matches(Tag.PATIENT_NAME, VR.PN, key, "Yamada^Tarou", MatchOptions.RECHECK))
                .isTrue();
    }

    /** Wild cards apply per group, and a key without "=" is also tried on the whole value. */
    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            Yama*       | Yamada^Tarou=山田^太郎 | true
            *山田*      | Yamada^Tarou=山田^太郎 | true
            *Tarou=山*  | Yamada^Tarou=山田^太郎 | true
            山田^太?    | Yamada^Tarou=山田^太郎 | true
            山田^?      | Yamada^Tarou=山田^太郎 | false
            Doe^*       | Doe                    | true
            Doe^J*      | Doe                    | false
            *^John      | John                   | false
            Do?^John    | Doe^John               | true
            Do?^John    | Do^John                | false
            """)
    void wildcardsMatchWithinGroupsOrAcrossTheWholeValue(String key, String candidate, boolean expected) {
        assertThat(matches(Tag.PATIENT_NAME, VR.PN, key, candidate)).isEqualTo(expected);
    }

    /** "*" is Universal Matching (PS3.4 C.2.2.2.4): even a candidate without a name matches. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"*", "**", "*=*", "*=*=*", "="})
    void starAloneIsUniversal(String key) {
        QueryMatcher matcher = QueryMatcher.compile(Identifiers.with(Tag.PATIENT_NAME, VR.PN, key), MatchOptions.SCP);
        assertThat(matcher.isUniversal()).isTrue();
        assertThat(matcher.matches(new Attributes())).isTrue();
    }

    /** Names are decoded with each data set's own character set before they are compared. */
    @Test
    void identifierAndCandidateMayUseDifferentCharacterSets() {
        Attributes latin1Key = new Attributes().setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 100");
        latin1Key.setBytes(Tag.PATIENT_NAME, VR.PN, "Müller^Jürgen".getBytes(StandardCharsets.ISO_8859_1));
        QueryMatcher matcher = QueryMatcher.compile(latin1Key, MatchOptions.SCP);

        assertThat(matcher.matches(Identifiers.with(Tag.PATIENT_NAME, VR.PN, "Müller^Jürgen")))
                .isTrue();
        assertThat(matcher.matches(Identifiers.with(Tag.PATIENT_NAME, VR.PN, "Muller^Jurgen")))
                .isFalse();
    }
}
