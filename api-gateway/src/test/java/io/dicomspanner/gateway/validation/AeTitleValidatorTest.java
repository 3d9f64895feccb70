package io.dicomspanner.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AeTitleValidatorTest {

    @Test
    void sixteenPrintableCharactersAreAnAeTitle() {
        assertThat(AeTitleValidator.problemWith("ABCDEFGHIJKLMNOP")).isNull();
        assertThat(AeTitleValidator.problemWith("PACS A_1-x.y")).isNull();
    }

    @Test
    void seventeenCharactersAreTooMany() {
        assertThat(AeTitleValidator.problemWith("ABCDEFGHIJKLMNOPQ"))
                .isEqualTo("must be at most 16 characters (an AE title)");
    }

    @Test
    void backslashIsTheValueSeparatorAndNotAllowed() {
        assertThat(AeTitleValidator.problemWith("PACS\\A")).isEqualTo("must not contain a backslash");
    }

    @Test
    void controlAndNonAsciiCharactersAreRefused() {
        assertThat(AeTitleValidator.problemWith("PACS\tA")).isEqualTo("must contain only printable ASCII characters");
        assertThat(AeTitleValidator.problemWith("PÄCS")).isEqualTo("must contain only printable ASCII characters");
    }

    @Test
    void onlySpacesIsNoAeTitle() {
        assertThat(AeTitleValidator.problemWith("   ")).isEqualTo("must not be empty or only spaces");
        assertThat(AeTitleValidator.problemWith("")).isEqualTo("must not be empty or only spaces");
    }

    @Test
    void absentTitleIsLeftToNotNull() {
        assertThat(AeTitleValidator.problemWith(null)).isNull();
    }
}
