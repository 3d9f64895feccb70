package io.dicomspanner.dicom.match;

import static io.dicomspanner.dicom.match.Identifiers.matches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Multi-valued attributes: a multi-valued candidate matches if any of its values matches (PS3.4 C.2.2.3); a
 * multi-valued key matches if any of its values does, unless Multiple Value Matching was negotiated (PS3.4
 * C.2.2.2.8), when every key value must be among the candidate's values.
 */
class MultipleValueMatchingTest {

    private static final MatchOptions EVERY_VALUE = MatchOptions.SCP.withMultipleValueMatching(true);

    @ParameterizedTest(name = "{0} vs {1}: any {2}, every {3}")
    @CsvSource(delimiter = '|', textBlock = """
            PT         | CT\\PT      | true  | true
            MR         | CT\\PT      | false | false
            P?         | CT\\PT      | true  | true
            CT\\MR     | MR          | true  | false
            CT\\MR     | CT\\PT      | true  | false
            CT\\MR     | US          | false | false
            CT\\PT     | PT\\SR\\CT  | true  | true
            CT\\PT     | CT          | true  | false
            CT\\       | CT          | true  | true
            CT\\       | MR          | false | false
            """)
    void modalitiesInStudy(String key, String candidate, boolean anyValue, boolean everyValue) {
        assertThat(matches(Tag.MODALITIES_IN_STUDY, VR.CS, key, candidate)).isEqualTo(anyValue);
        assertThat(matches(Tag.MODALITIES_IN_STUDY, VR.CS, key, candidate, EVERY_VALUE))
                .isEqualTo(everyValue);
    }

    /** C.2.2.2.8 applies to attributes whose VM allows several values; Modality has VM 1, so "any of" remains. */
    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            CT\\MR | MR | true
            CT\\MR | US | false
            """)
    void singleValuedAttributesKeepAnyOfMatching(String key, String candidate, boolean expected) {
        assertThat(matches(Tag.MODALITY, VR.CS, key, candidate, EVERY_VALUE)).isEqualTo(expected);
    }

    /** "Key Attribute Values shall not include wild cards" (C.2.2.2.8). */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"CT\\P*", "C?\\PT", "*\\PT"})
    void multipleValueMatchingRejectsWildcards(String key) {
        assertThatThrownBy(() -> matches(Tag.MODALITIES_IN_STUDY, VR.CS, key, "CT", EVERY_VALUE))
                .isInstanceOf(InvalidMatchingKeyException.class)
                .hasMessage("ModalitiesInStudy (0008,0061): Multiple Value Matching takes no wild cards"
                        + " (PS3.4 C.2.2.2.8)");
    }

    /** Multi-valued keys of other VRs are any-of too: dates, numbers, names. */
    @ParameterizedTest(name = "{1} {2} vs {3} -> {4}")
    @CsvSource(delimiter = '|', textBlock = """
            0008,0020 | DA | 20240101\\20240105-20240110 | 20240107        | true
            0008,0020 | DA | 20240101\\20240105-20240110 | 20240102        | false
            0020,0011 | IS | 1\\3                        | 3               | true
            0020,0011 | IS | 1\\3                        | 2               | false
            0010,0010 | PN | Doe^John\\Roe^*             | Roe^Jane        | true
            0010,0010 | PN | Doe^John\\Roe^*             | Moe^Jane        | false
            """)
    void otherVrsMatchAnyKeyValue(String tag, String vr, String key, String candidate, boolean expected) {
        assertThat(matches(SingleValueMatchingTest.tagOf(tag), VR.valueOf(vr), key, candidate))
                .isEqualTo(expected);
    }
}
