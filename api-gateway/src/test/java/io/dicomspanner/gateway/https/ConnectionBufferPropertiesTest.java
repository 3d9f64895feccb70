package io.dicomspanner.gateway.https;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class ConnectionBufferPropertiesTest {

    @Test
    void aBufferOutsideOneTo64KilobytesIsRefusedWithTheSettingNamed() {
        assertThatThrownBy(() -> new ConnectionBufferProperties(DataSize.ofBytes(1023)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("spanner.connections.buffer-size must be between 1KB and 64KB, not 1023 bytes");
        assertThatThrownBy(() -> new ConnectionBufferProperties(DataSize.ofBytes(65537)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("spanner.connections.buffer-size must be between 1KB and 64KB, not 65537 bytes");
    }

    @Test
    void theBoundsThemselvesAreAccepted() {
        assertThat(new ConnectionBufferProperties(DataSize.ofKilobytes(1)).bufferSize())
                .isEqualTo(DataSize.ofBytes(1024));
        assertThat(new ConnectionBufferProperties(DataSize.ofKilobytes(64)).bufferSize())
                .isEqualTo(DataSize.ofBytes(65536));
    }
}
