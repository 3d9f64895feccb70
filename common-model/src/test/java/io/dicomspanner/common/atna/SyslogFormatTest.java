package io.dicomspanner.common.atna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyslogFormatTest {

    @Test
    void aMessageHasTheRfc5424HeaderTheIheMsgIdNoStructuredDataAndABomBeforeTheXml() {
        byte[] message = SyslogFormat.message(
                10,
                SyslogFormat.NOTICE,
                Instant.parse("2026-12-06T10:15:30.123456Z"),
                "spanner-1",
                "api-gateway",
                "4242",
                "<AuditMessage/>".getBytes(StandardCharsets.UTF_8));

        String header = "<85>1 2026-12-06T10:15:30.123Z spanner-1 api-gateway 4242 IHE+RFC-3881 - ";
        byte[] expected = concat(
                header.getBytes(StandardCharsets.US_ASCII),
                new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                "<AuditMessage/>".getBytes(StandardCharsets.UTF_8));
        assertThat(message).isEqualTo(expected);
    }

    @Test
    void priIsFacilityTimesEightPlusSeverity() {
        byte[] logAuditWarning =
                SyslogFormat.message(13, SyslogFormat.WARNING, Instant.EPOCH, "h", "a", "1", new byte[0]);
        assertThat(new String(logAuditWarning, StandardCharsets.UTF_8))
                .startsWith("<108>1 1970-01-01T00:00:00Z h a 1 ");
        assertThatThrownBy(() -> SyslogFormat.message(24, 5, Instant.EPOCH, "h", "a", "1", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("syslog facility must be 0..23, is 24");
    }

    @Test
    void headerFieldsAreCutToTheirLengthsAndNonPrintableCharactersReplaced() {
        assertThat(SyslogFormat.field("my app", 48)).isEqualTo("my_app");
        assertThat(SyslogFormat.field("é", 48)).isEqualTo("_");
        assertThat(SyslogFormat.field("", 48)).isEqualTo("-");
        assertThat(SyslogFormat.field(null, 48)).isEqualTo("-");
        assertThat(SyslogFormat.field("x".repeat(60), 48)).isEqualTo("x".repeat(48));
    }

    @Test
    void theOctetCountingFrameIsTheLengthInBytesASpaceAndTheMessage() {
        byte[] message = "<85>1 - - - - - - \u00e9".getBytes(StandardCharsets.UTF_8); // é is two bytes
        byte[] frame = SyslogFormat.octetCounted(message);
        assertThat(new String(frame, StandardCharsets.UTF_8)).isEqualTo("20 <85>1 - - - - - - \u00e9");
    }

    private static byte[] concat(byte[]... parts) {
        byte[] all = new byte[0];
        for (byte[] part : parts) {
            int at = all.length;
            all = Arrays.copyOf(all, at + part.length);
            System.arraycopy(part, 0, all, at, part.length);
        }
        return all;
    }
}
