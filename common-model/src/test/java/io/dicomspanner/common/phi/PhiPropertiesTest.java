package io.dicomspanner.common.phi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the PHI token secret is taken from the settings, the same in every service. */
class PhiPropertiesTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef-secret";

    @TempDir
    Path dir;

    @Test
    void secretGivenAsValueKeysTheTokens() {
        PhiTokenizer tokenizer = new PhiProperties(SECRET, "").tokenizer();

        assertThat(tokenizer.token(PhiAttribute.PATIENT_ID, "PID-1"))
                .isEqualTo(PhiTokenizer.withSecret(SECRET).token(PhiAttribute.PATIENT_ID, "PID-1"));
    }

    @Test
    void secretGivenAsFileIsTheSameSecretWithoutItsTrailingNewline() throws IOException {
        Path file = Files.writeString(dir.resolve("phi-secret"), SECRET + "\n");

        PhiTokenizer tokenizer = new PhiProperties(null, file.toString()).tokenizer();

        assertThat(tokenizer.token(PhiAttribute.PATIENT_ID, "PID-1"))
                .isEqualTo(new PhiProperties(SECRET, null).tokenizer().token(PhiAttribute.PATIENT_ID, "PID-1"));
    }

    @Test
    void noSecretIsRefusedNamingBothSettings() {
        assertThatThrownBy(() -> new PhiProperties("", " ").tokenizer())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("No PHI token secret: set spanner.phi.token-secret (SPANNER_PHI_TOKEN_SECRET), at least 32"
                        + " bytes, or spanner.phi.token-secret-file (SPANNER_PHI_TOKEN_SECRET_FILE)");
    }

    @Test
    void bothSettingsAtOnceAreRefused() {
        assertThatThrownBy(() -> new PhiProperties(SECRET, "/run/secrets/phi").tokenizer())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Set either spanner.phi.token-secret (SPANNER_PHI_TOKEN_SECRET) or"
                        + " spanner.phi.token-secret-file (SPANNER_PHI_TOKEN_SECRET_FILE), not both");
    }

    @Test
    void shortSecretIsRefusedNamingTheSettingAndTheLength() {
        assertThatThrownBy(() -> new PhiProperties("s".repeat(31), null).tokenizer())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("The PHI token secret of spanner.phi.token-secret (SPANNER_PHI_TOKEN_SECRET) must have"
                        + " at least 32 bytes, has 31");
    }

    @Test
    void shortSecretInAFileIsRefusedNamingTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("short"), "short\n");

        assertThatThrownBy(() -> new PhiProperties(null, file.toString()).tokenizer())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("The PHI token secret of spanner.phi.token-secret-file (SPANNER_PHI_TOKEN_SECRET_FILE) "
                        + file + " must have at least 32 bytes, has 5");
    }

    @Test
    void unreadableFileIsRefusedNamingTheSettingAndTheFile() {
        Path missing = dir.resolve("missing");

        assertThatThrownBy(() -> new PhiProperties(null, missing.toString()).tokenizer())
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("Cannot read spanner.phi.token-secret-file (SPANNER_PHI_TOKEN_SECRET_FILE) " + missing);
    }

    @Test
    void secretIsNeverShown() {
        assertThat(new PhiProperties(SECRET, null).toString())
                .isEqualTo("PhiProperties[tokenSecret=***, tokenSecretFile=null]");
    }
}
