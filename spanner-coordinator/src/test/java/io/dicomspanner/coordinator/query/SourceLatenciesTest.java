package io.dicomspanner.coordinator.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A source's expected time to answer follows its reported latencies, the newest weighing a quarter. */
class SourceLatenciesTest {

    @Test
    void aSourceNeverSeenIsUnknownAndSlowerThanAnyKnown() {
        SourceLatencies latencies = new SourceLatencies();
        latencies.observe(1, 5_000);

        assertThat(latencies.expectedMillis(2)).isEqualTo(SourceLatencies.UNKNOWN);
        assertThat(latencies.expectedMillis(2)).isGreaterThan(latencies.expectedMillis(1));
    }

    @Test
    void theAverageMovesAQuarterOfTheWayToEachNewAnswer() {
        SourceLatencies latencies = new SourceLatencies();

        latencies.observe(7, 100);
        long first = latencies.expectedMillis(7);
        latencies.observe(7, 200);
        long second = latencies.expectedMillis(7);
        latencies.observe(7, 200);

        assertThat(first).isEqualTo(100);
        assertThat(second).isEqualTo(125);
        assertThat(latencies.expectedMillis(7)).isEqualTo(144); // 125 + 75 / 4 = 143.75
    }

    @Test
    void aNegativeLatencyIsIgnored() {
        SourceLatencies latencies = new SourceLatencies();
        latencies.observe(3, 80);

        latencies.observe(3, -1);

        assertThat(latencies.expectedMillis(3)).isEqualTo(80);
    }
}
