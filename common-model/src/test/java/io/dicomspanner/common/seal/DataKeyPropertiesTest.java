package io.dicomspanner.common.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataKeyPropertiesTest {

    static final String OLD = "tTMOdKPhDnEDaMDEt3VN8PpWdRJU+Pgofp7tVeZ76Po=";
    static final String NEW = "6Js4bRK64p3xk0NdwY+ioGzPI1Bo3f4mQRya51Ft2GU=";

    @Test
    void withoutACurrentKeyNoServiceStarts() {
        assertThatThrownBy(() -> new DataKeyProperties("", " ", null, null).sealer())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("No data key: set spanner.data-key.current (SPANNER_DATA_KEY) or"
                        + " spanner.data-key.current-file (SPANNER_DATA_KEY_FILE) to base64 of 32 random bytes"
                        + " (openssl rand -base64 32); every service of a deployment needs the same key");
    }

    @Test
    void theKeysComeInlineOrFromFiles(@TempDir Path dir) throws IOException {
        Path current = Files.writeString(dir.resolve("current"), NEW + "\n");
        Path previous = Files.writeString(dir.resolve("previous"), OLD + "\n");

        assertThat(new DataKeyProperties(null, current.toString(), null, previous.toString())
                        .sealer()
                        .toString())
                .isEqualTo("Sealer[current=4f9138ce, previous=3c988a88]");
        assertThat(new DataKeyProperties(OLD, null, null, null).sealer().toString())
                .isEqualTo("Sealer[current=3c988a88, previous=none]");
    }

    @Test
    void anInvalidKeyNamesItsSettingNotItsValue() {
        assertThatThrownBy(() -> new DataKeyProperties(OLD, null, "c2VjcmV0", null).sealer())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("The data key of spanner.data-key.previous (SPANNER_DATA_KEY_PREVIOUS) is invalid:"
                        + " A data key must have 32 bytes, has 6");
    }

    @Test
    void aKeySetTwiceIsRefused() {
        assertThatThrownBy(() -> new DataKeyProperties(OLD, "/run/secrets/data-key", null, null).sealer())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Set either spanner.data-key.current (SPANNER_DATA_KEY) or"
                        + " spanner.data-key.current-file (SPANNER_DATA_KEY_FILE), not both");
    }

    @Test
    void thePreviousKeyMustDifferFromTheCurrent() {
        assertThatThrownBy(() -> new DataKeyProperties(OLD, null, OLD, null).sealer())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("The previous data key is the current one (3c988a88): clear"
                        + " spanner.data-key.previous (SPANNER_DATA_KEY_PREVIOUS)");
    }

    @Test
    void theKeysAreNeverShown() {
        assertThat(new DataKeyProperties(OLD, null, NEW, null).toString())
                .isEqualTo("DataKeyProperties[current=***, currentFile=null, previous=***, previousFile=null]");
    }
}
