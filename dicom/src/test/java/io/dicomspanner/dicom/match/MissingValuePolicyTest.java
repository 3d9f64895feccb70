package io.dicomspanner.dicom.match;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a non-universal key does with a value that cannot be compared: excluded in the SCP role (PS3.4 C.2.2.1.2, and
 * K.2.2.1.1.1 "the unknown value shall fail to match any Matching Key value"), kept in the re-check role.
 */
class MissingValuePolicyTest {

    @ParameterizedTest(name = "{1} key {2} vs {3}")
    @CsvSource(
            value = {
                "0010,0020 | LO | P1 | NULL",
                "0010,0020 | LO | P1 | ''",
                "0010,0010 | PN | Doe* | NULL",
                "0020,000D | UI | 1.2.3 | ''",
                "0020,0011 | IS | 7 | seven",
                "0008,0030 | TM | 0800-1700 | 25",
                "0008,002A | DT | 2024- | 2024-13",
            },
            delimiter = '|',
            nullValues = "NULL")
    void anUnreadableValueIsExcludedByAnScpAndKeptByTheRecheck(String tag, String vr, String key, String candidate) {
        int t = SingleValueMatchingTest.tagOf(tag);
        VR v = VR.valueOf(vr);
        assertThat(Identifiers.matches(t, v, key, candidate, MatchOptions.SCP)).isFalse();
        assertThat(Identifiers.matches(t, v, key, candidate, MatchOptions.RECHECK))
                .isTrue();
    }

    /** A value that disproves the candidate wins over another key that could not be compared. */
    @Test
    void aProvenMismatchWinsOverAnUnknownValue() {
        Attributes identifier = new Attributes()
                .setString(Tag.STUDY_DATE, VR.DA, "20240101-20240131")
                .setString(Tag.PATIENT_ID, VR.LO, "P1");
        QueryMatcher recheck = QueryMatcher.compile(identifier, MatchOptions.RECHECK);

        assertThat(recheck.matches(new Attributes().setString(Tag.PATIENT_ID, VR.LO, "P1")))
                .isTrue();
        assertThat(recheck.matches(new Attributes().setString(Tag.PATIENT_ID, VR.LO, "P2")))
                .isFalse();
    }

    /** A candidate attribute whose VR cannot be read as text (UN from an implicit VR peer, bulk data) is unknown. */
    @Test
    void aValueThatCannotBeReadAsTextIsUnknown() {
        Attributes identifier = new Attributes().setString(Tag.PATIENT_ID, VR.LO, "P1");
        Attributes candidate =
                new Attributes().setBytes(Tag.PATIENT_ID, VR.UN, "P1".getBytes(StandardCharsets.US_ASCII));

        assertThat(QueryMatcher.compile(identifier, MatchOptions.SCP).matches(candidate))
                .isFalse();
        assertThat(QueryMatcher.compile(identifier, MatchOptions.RECHECK).matches(candidate))
                .isTrue();
    }
}
