package io.dicomspanner.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryTimingTest {

    /** Coordinator took it at 1,000,010 ms, answered at 1,000,160 ms; slowest PACS 142 ms. */
    private static final QueryTiming FANNED_OUT =
            new QueryTiming("COMPLETE", false, false, 1_000_010, 1_000_160, 8, 142);

    @Test
    void overheadIsTheClientLatencyMinusTheSlowestPacsOfTheSameQuery() {
        assertThat(FANNED_OUT.overheadMicros(155_300)).isEqualTo(13_300);
        // a client faster than the worker's own measure (different clocks): negative, and kept as such
        assertThat(FANNED_OUT.overheadMicros(141_500)).isEqualTo(-500);
    }

    @Test
    void thePartsAddUpToTheOverheadInWholeMilliseconds() {
        long sent = 1_000_000;
        long received = 1_000_165;

        assertThat(FANNED_OUT.toCoordinatorMicros(sent)).isEqualTo(10_000);
        assertThat(FANNED_OUT.inCoordinatorBeyondSlowestMicros()).isEqualTo(8_000);
        assertThat(FANNED_OUT.fromCoordinatorMicros(received)).isEqualTo(5_000);
        // 10 + 8 + 5 = 23 = (165 - 142) ms
        assertThat(FANNED_OUT.overheadMicros((received - sent) * 1000)).isEqualTo(23_000);
    }

    @Test
    void onlyACompleteQueryThatAskedItsPacsItselfIsFannedOut() {
        assertThat(FANNED_OUT.fannedOut()).isTrue();
        assertThat(new QueryTiming("COMPLETE", true, false, 1, 2, 0, -1).fannedOut())
                .as("from the cache")
                .isFalse();
        assertThat(new QueryTiming("COMPLETE", false, true, 1, 2, 8, 140).fannedOut())
                .as("coalesced with another query")
                .isFalse();
        assertThat(new QueryTiming("PARTIAL", false, false, 1, 2, 8, 140).fannedOut())
                .as("a PACS failed")
                .isFalse();
        assertThat(new QueryTiming("RUNNING", false, false, 1, -1, 8, 140).fannedOut())
                .as("still running")
                .isFalse();
        assertThat(new QueryTiming("COMPLETE", false, false, 1, 2, 8, -1).fannedOut())
                .as("no PACS latency")
                .isFalse();
    }
}
