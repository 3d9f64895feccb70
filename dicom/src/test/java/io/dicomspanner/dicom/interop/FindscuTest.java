package io.dicomspanner.dicom.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FindscuTest {

    @Test
    void dcmtkStatusNamesMapBackToTheirCodes() {
        assertThat(Findscu.statusCode("Success")).isEqualTo(0x0000);
        assertThat(Findscu.statusCode("Pending")).isEqualTo(0xFF00);
        assertThat(Findscu.statusCode("Pending: WarningUnsupportedOptionalKeys"))
                .isEqualTo(0xFF01);
        assertThat(Findscu.statusCode("Cancel: MatchingTerminatedDueToCancelRequest"))
                .isEqualTo(0xFE00);
        assertThat(Findscu.statusCode("Refused: OutOfResources")).isEqualTo(0xA700);
        assertThat(Findscu.statusCode("Refused: SOPClassNotSupported")).isEqualTo(0x0122);
        assertThat(Findscu.statusCode("Failed: IdentifierDoesNotMatchSOPClass")).isEqualTo(0xA900);
        assertThat(Findscu.statusCode("Failed: UnableToProcess")).isEqualTo(0xC000);
        assertThat(Findscu.statusCode("Unknown Status: 0xb007")).isEqualTo(0xB007);
    }

    @Test
    void aNameDcmtkNeverPrintsIsRefused() {
        assertThatThrownBy(() -> Findscu.statusCode("Warning"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a dcmtk C-FIND status: Warning");
    }

    @Test
    void aNonAsciiKeyValueIsRefusedBecauseCommandLinesDoNotCarryACharacterSet() {
        assertThatThrownBy(() -> Findscu.to("127.0.0.1", 1, "AE").key("PatientName", "Müller*"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-k values must be ASCII; put PatientName into identifier(Attributes) instead");
    }
}
