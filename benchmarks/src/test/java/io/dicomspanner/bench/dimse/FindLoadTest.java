package io.dicomspanner.bench.dimse;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.bench.load.QueryPlan;
import io.dicomspanner.bench.load.QueryTiming;
import java.util.List;
import org.junit.jupiter.api.Test;

class FindLoadTest {

    private static final QueryPlan.Query QUERY = new QueryPlan.Query("PID-SECRET-1", "19000101-20300105");

    @Test
    void theCsvHasOneLinePerQueryWithTimesAndNoQueryValues() {
        FindLoad.Exchange answered =
                new FindLoad.Exchange(QUERY, 4_100, 1_000_000, 120_500, 151_800, 1_000_152, 158_300, 0x0000, 3);
        FindLoad.Exchange noMatch =
                new FindLoad.Exchange(QUERY, 3_900, 1_000_200, -1, 140_000, 1_000_340, 150_000, 0xA700, 0);
        QueryTiming timing = new QueryTiming("COMPLETE", false, false, 1_000_003, 1_000_149, 8, 139);

        List<String> lines = FindLoad.csvLines(
                List.of(new FindLoad.Measured(answered, timing), new FindLoad.Measured(noMatch, null)));

        assertThat(lines)
                .containsExactly(
                        "sent_epoch_ms,associate_us,first_pending_us,final_us,whole_us,status,matches,"
                                + "coordinator_took_epoch_ms,coordinator_answered_epoch_ms,slowest_pacs_ms,"
                                + "received_epoch_ms",
                        "1000000,4100,120500,151800,158300,0000,3,1000003,1000149,139,1000152",
                        "1000200,3900,-1,140000,150000,A700,0,-1,-1,-1,1000340");
        assertThat(String.join("\n", lines)).doesNotContain("PID-SECRET-1").doesNotContain("19000101");
    }

    @Test
    void onlyASuccessfulQueryTheSpannerFannedOutCountsForTheOverhead() {
        FindLoad.Exchange ok = new FindLoad.Exchange(QUERY, 1, 1, 1, 1, 1, 1, 0x0000, 1);
        FindLoad.Exchange refused = new FindLoad.Exchange(QUERY, 1, 1, -1, 1, 1, 1, 0xA700, 0);
        QueryTiming fannedOut = new QueryTiming("COMPLETE", false, false, 1, 2, 8, 140);

        assertThat(new FindLoad.Measured(ok, fannedOut).fannedOut()).isTrue();
        assertThat(new FindLoad.Measured(refused, fannedOut).fannedOut()).isFalse();
        assertThat(new FindLoad.Measured(ok, null).fannedOut()).isFalse();
    }
}
