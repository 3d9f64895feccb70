package io.dicomspanner.dicom.match;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PS3.4 C.2.2.2.3 Universal Matching, and the identifier attributes that are never matched (C.2.2.2, C.4.1.1.3). */
class UniversalMatchingTest {

    /** A zero-length key matches every entity, also one without the attribute, under both policies. */
    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            0008,0020 | DA
            0008,0030 | TM
            0008,002A | DT
            0010,0010 | PN
            0020,000D | UI
            0020,0011 | IS
            0008,0061 | CS
            0018,0050 | DS
            """)
    void aZeroLengthKeyIsAReturnKeyThatNeverFilters(String tag, String vr) {
        int t = SingleValueMatchingTest.tagOf(tag);
        Attributes identifier = new Attributes().setNull(t, VR.valueOf(vr));
        QueryMatcher matcher = QueryMatcher.compile(identifier, MatchOptions.SCP);

        assertThat(matcher.isUniversal()).isTrue();
        assertThat(matcher.matches(new Attributes())).isTrue();
        assertThat(matcher.matches(new Attributes().setNull(t, VR.valueOf(vr)))).isTrue();
    }

    /** "Wild Card Matching on a value of "*" is equivalent to Universal Matching" (C.2.2.2.4). */
    @ParameterizedTest(name = "{1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            0008,0060 | CS | *
            0008,1030 | LO | **
            0008,0050 | SH | *
            0008,0061 | CS | CT\\*
            """)
    void aKeyOfOnlyStarsIsUniversal(String tag, String vr, String key) {
        int t = SingleValueMatchingTest.tagOf(tag);
        QueryMatcher matcher = QueryMatcher.compile(Identifiers.with(t, VR.valueOf(vr), key), MatchOptions.SCP);

        assertThat(matcher.isUniversal()).isTrue();
        assertThat(matcher.matches(new Attributes())).isTrue();
    }

    /** A typical study-level identifier: every return key empty, one real key. */
    @Test
    void returnKeysNeverFilterButTheOneMatchingKeyDoes() {
        Attributes identifier = Identifiers.utf8()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setNull(Tag.STUDY_DATE, VR.DA)
                .setNull(Tag.STUDY_TIME, VR.TM)
                .setNull(Tag.ACCESSION_NUMBER, VR.SH)
                .setNull(Tag.MODALITIES_IN_STUDY, VR.CS)
                .setNull(Tag.PATIENT_NAME, VR.PN)
                .setString(Tag.PATIENT_ID, VR.LO, "P1")
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI)
                .setNull(Tag.NUMBER_OF_STUDY_RELATED_INSTANCES, VR.IS);
        QueryMatcher matcher = QueryMatcher.compile(identifier, MatchOptions.SCP);

        assertThat(matcher.isUniversal()).isFalse();
        assertThat(matcher.matches(new Attributes().setString(Tag.PATIENT_ID, VR.LO, "P1")))
                .isTrue();
        assertThat(matcher.matches(new Attributes().setString(Tag.PATIENT_ID, VR.LO, "P2")))
                .isFalse();
    }

    /**
     * Query/Retrieve Level and Specific Character Set say how to match; Retrieve AE Title, Retrieve URL and Instance
     * Availability differ from PACS to PACS for the same study; Timezone Offset From UTC qualifies the key's times.
     * None of them is compared.
     */
    @Test
    void identifierAttributesThatAreNotKeysAreNeverMatched() {
        Attributes identifier = new Attributes()
                .setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 100")
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.RETRIEVE_AE_TITLE, VR.AE, "PACS_A")
                .setString(Tag.INSTANCE_AVAILABILITY, VR.CS, "ONLINE")
                .setString(Tag.TIMEZONE_OFFSET_FROM_UTC, VR.SH, "+0100")
                .setString(Tag.RETRIEVE_URL, VR.UR, "http://a/studies/1");
        Attributes candidate = new Attributes()
                .setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 192")
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "SERIES")
                .setString(Tag.RETRIEVE_AE_TITLE, VR.AE, "PACS_B")
                .setString(Tag.INSTANCE_AVAILABILITY, VR.CS, "NEARLINE")
                .setString(Tag.TIMEZONE_OFFSET_FROM_UTC, VR.SH, "-0500")
                .setString(Tag.RETRIEVE_URL, VR.UR, "http://b/studies/1");

        QueryMatcher matcher = QueryMatcher.compile(identifier, MatchOptions.SCP);

        assertThat(matcher.isUniversal()).isTrue();
        assertThat(matcher.matches(candidate)).isTrue();
    }

    /** Bulk data and UN keys, which some SCUs copy into identifiers, cannot be compared and are not. */
    @Test
    void bulkDataAndUnknownVrKeysAreIgnored() {
        Attributes identifier = new Attributes()
                .setBytes(0x00091010, VR.UN, new byte[] {1, 2})
                .setBytes(0x00420011, VR.OB, new byte[] {3, 4});
        QueryMatcher matcher = QueryMatcher.compile(identifier, MatchOptions.SCP);

        assertThat(matcher.isUniversal()).isTrue();
        assertThat(matcher.matches(new Attributes())).isTrue();
    }
}
