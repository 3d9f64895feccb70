package io.dicomspanner.dicom.match;

import static io.dicomspanner.dicom.match.Identifiers.matches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PS3.4 C.2.2.2.2 List of UID Matching, and Single Value Matching of one UID. */
class ListOfUidMatchingTest {

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            1.2.3              | 1.2.3  | true
            1.2.3              | 1.2.30 | false
            1.2                | 1.2.3  | false
            1.2.3\\1.2.4\\1.2.5 | 1.2.4  | true
            1.2.3\\1.2.4\\1.2.5 | 1.2.5  | true
            1.2.3\\1.2.4\\1.2.5 | 1.2.6  | false
            1.2.3\\\\1.2.4      | 1.2.4  | true
            """)
    void aUidListMatchesAnyOfItsUids(String key, String candidate, boolean expected) {
        assertThat(matches(Tag.STUDY_INSTANCE_UID, VR.UI, key, candidate)).isEqualTo(expected);
    }

    /** UIDs are NUL-padded on the wire; the padding is not part of the UID. */
    @Test
    void nulPaddingIsIgnored() {
        assertThat(matches(Tag.SOP_INSTANCE_UID, VR.UI, "1.2.3\0", "1.2.3")).isTrue();
        assertThat(matches(Tag.SOP_INSTANCE_UID, VR.UI, "1.2.3\0", "1.2.34\0")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            1..2
            1.2.
            .1.2
            1.2.abc
            1.2.3\\1.2.x
            1234567890.1234567890.1234567890.1234567890.1234567890.1234567890
            """)
    void malformedUidsAreRejected(String key) {
        assertThatThrownBy(() -> matches(Tag.STUDY_INSTANCE_UID, VR.UI, key, "1.2"))
                .isInstanceOf(InvalidMatchingKeyException.class)
                .hasMessage("StudyInstanceUID (0020,000D): a UID is up to 64 digits and dots, without empty"
                        + " components; several UIDs are separated by backslashes (PS3.4 C.2.2.2.2)");
    }
}
