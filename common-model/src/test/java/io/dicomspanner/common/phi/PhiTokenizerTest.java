package io.dicomspanner.common.phi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PhiTokenizerTest {

    /** Expected tokens were computed with Python's hmac module: hmac.new(secret, keyword + b"\0" + value, sha256). */
    private static final String SECRET = "test-secret-0123456789-abcdefghijklmnop";

    private final PhiTokenizer tokenizer = PhiTokenizer.withSecret(SECRET);

    @Test
    void patientIdTokenIsPrefixedTruncatedHmacSha256OfKeywordAndValue() {
        assertThat(tokenizer.patientId("PAT-001")).isEqualTo("phi1:GJT8TIc0lJl7CATiXRy5kA");
    }

    @Test
    void patientNameAndBirthDateTokensMatchIndependentHmac() {
        assertThat(tokenizer.patientName("DOE^JOHN")).isEqualTo("phi1:_nhBhEIuZfa49bDeWa-jiA");
        assertThat(tokenizer.patientBirthDate("19700101")).isEqualTo("phi1:deEg6W-XRhOrqinpZyhokg");
    }

    @Test
    void nonAsciiValuesAreHashedAsUtf8() {
        assertThat(tokenizer.patientName("Müller^Jürgen")).isEqualTo("phi1:FfZxt_87-A1XMndvwasV_g");
    }

    @Test
    void insignificantSpacesAndTrailingEmptyNameComponentsGiveTheSameToken() {
        assertThat(tokenizer.patientId(" PAT-001  ")).isEqualTo("phi1:GJT8TIc0lJl7CATiXRy5kA");
        assertThat(tokenizer.patientName("DOE^JOHN^^^ ")).isEqualTo("phi1:_nhBhEIuZfa49bDeWa-jiA");
        assertThat(tokenizer.patientName("DOE^JOHN^^^=")).isEqualTo("phi1:_nhBhEIuZfa49bDeWa-jiA");
    }

    @Test
    void sameValueUnderDifferentAttributesGivesDifferentTokens() {
        assertThat(tokenizer.patientId("19700101")).isNotEqualTo(tokenizer.patientBirthDate("19700101"));
    }

    @Test
    void differentSecretsGiveDifferentTokens() {
        PhiTokenizer other = PhiTokenizer.withSecret(SECRET + "x");
        assertThat(other.patientId("PAT-001")).isNotEqualTo(tokenizer.patientId("PAT-001"));
    }

    @Test
    void byteAndStringSecretsOfTheSameBytesAgree() {
        PhiTokenizer fromBytes = PhiTokenizer.withSecret(SECRET.getBytes(StandardCharsets.UTF_8));
        assertThat(fromBytes.patientId("PAT-001")).isEqualTo("phi1:GJT8TIc0lJl7CATiXRy5kA");
    }

    @Test
    void nullStaysNullAndEmptyStaysEmpty() {
        assertThat(tokenizer.patientId(null)).isNull();
        assertThat(tokenizer.patientId("")).isEmpty();
        assertThat(tokenizer.patientName("^^ ")).isEmpty();
    }

    @Test
    void filtersKeepNonPhiValuesAndOrderAndTokenizeEachValueOfAList() {
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("StudyDate", "20240101-20240131");
        filters.put("PatientID", "PAT-001");
        filters.put("OtherPatientIDs", "A\\B");
        filters.put("ModalitiesInStudy", "CT");
        filters.put("PatientName", "");

        assertThat(tokenizer.tokenizeFilters(filters))
                .containsExactly(
                        Map.entry("StudyDate", "20240101-20240131"),
                        Map.entry("PatientID", "phi1:GJT8TIc0lJl7CATiXRy5kA"),
                        Map.entry("OtherPatientIDs", "phi1:EgwpfC81aUPXF-86Yy0Kmg\\phi1:zd_P3IlOSFaA8Xxp6fRMRg"),
                        Map.entry("ModalitiesInStudy", "CT"),
                        Map.entry("PatientName", ""));
    }

    @Test
    void tokensAreRecognisedByShapeAndClearTextIsNot() {
        assertThat(PhiTokenizer.isToken("phi1:GJT8TIc0lJl7CATiXRy5kA")).isTrue();
        assertThat(PhiTokenizer.isToken("PAT-001")).isFalse();
        assertThat(PhiTokenizer.isToken("phi1:GJT8TIc0lJl7CATiXRy5k")).isFalse();
        assertThat(PhiTokenizer.isToken("phi1:GJT8TIc0lJl7CATiXRy5k!")).isFalse();
        assertThat(PhiTokenizer.isToken(null)).isFalse();
    }

    @Test
    void secretShorterThan32BytesIsRejected() {
        assertThatThrownBy(() -> PhiTokenizer.withSecret("0123456789abcdef0123456789abcde"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PHI token secret must have at least 32 bytes, has 31");
    }

    @Test
    void phiKeywordsAreRecognisedCaseSensitively() {
        assertThat(PhiAttribute.ofKeyword("PatientID")).contains(PhiAttribute.PATIENT_ID);
        assertThat(PhiAttribute.ofKeyword("patientid")).isEmpty();
        assertThat(PhiAttribute.ofKeyword("StudyInstanceUID")).isEmpty();
    }

    @Test
    void toStringNeverShowsTheSecret() {
        assertThat(tokenizer.toString()).isEqualTo("PhiTokenizer[phi1:]").doesNotContain(SECRET);
    }
}
