package io.dicomspanner.common.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;

/** The source health entry in Redis: its exact JSON, and that entries written before the record existed still read. */
class SourceHealthTest {

    private final MessageCodec codec = MessageCodec.instance();

    @Test
    void upEntryIsWrittenWithTheComponentNamesAndIsoInstants() {
        SourceHealth up = new SourceHealth(
                7,
                SourceHealth.State.UP,
                12,
                0,
                null,
                Instant.parse("2026-03-01T10:15:30.120Z"),
                Instant.parse("2026-03-01T10:15:30.132Z"));

        assertThat(codec.writeString(up))
                .isEqualTo("{\"sourceId\":7,\"state\":\"up\",\"latencyMillis\":12,\"dimseStatus\":0,\"error\":null,"
                        + "\"startedAt\":\"2026-03-01T10:15:30.120Z\",\"checkedAt\":\"2026-03-01T10:15:30.132Z\"}");
    }

    @Test
    void downEntryRoundTrips() {
        SourceHealth down = new SourceHealth(
                8,
                SourceHealth.State.DOWN,
                3001,
                null,
                "cannot connect to 10.0.0.9:104",
                Instant.parse("2026-03-01T10:15:27Z"),
                Instant.parse("2026-03-01T10:15:30.001Z"));

        assertThat(codec.read(codec.writeString(down), SourceHealth.class)).isEqualTo(down);
    }

    @Test
    void entryOfTheWorkerBeforeTheRecordStillReads() {
        // Exactly what the worker wrote from a map of these members, in this order.
        String written = "{\"sourceId\":7,\"state\":\"down\",\"latencyMillis\":5,\"dimseStatus\":null,"
                + "\"error\":\"C-ECHO status 0110H\",\"startedAt\":\"2026-03-01T10:15:30Z\","
                + "\"checkedAt\":\"2026-03-01T10:15:30.005Z\"}";

        assertThat(codec.read(written, SourceHealth.class))
                .isEqualTo(new SourceHealth(
                        7,
                        SourceHealth.State.DOWN,
                        5,
                        null,
                        "C-ECHO status 0110H",
                        Instant.parse("2026-03-01T10:15:30Z"),
                        Instant.parse("2026-03-01T10:15:30.005Z")));
    }

    @Test
    void entryWithoutAStateIsNoSourceHealth() {
        assertThatThrownBy(() -> codec.read("{\"sourceId\":7,\"latencyMillis\":5}", SourceHealth.class))
                .isInstanceOf(JacksonException.class)
                .hasMessageContaining("state");
    }
}
