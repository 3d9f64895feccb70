package io.dicomspanner.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatencySummaryTest {

    @Test
    void nearestRankPercentilesOfOneToOneHundredAreTheRanksThemselves() {
        long[] sorted = LongStream.rangeClosed(1, 100).toArray();

        assertThat(LatencySummary.percentile(sorted, 50)).isEqualTo(50);
        assertThat(LatencySummary.percentile(sorted, 90)).isEqualTo(90);
        assertThat(LatencySummary.percentile(sorted, 99)).isEqualTo(99);
        assertThat(LatencySummary.percentile(sorted, 100)).isEqualTo(100);
        assertThat(LatencySummary.percentile(sorted, 0.5)).isEqualTo(1);
    }

    @Test
    void aPercentileBetweenRanksRoundsUpToTheNextSample() {
        long[] sorted = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};

        // 0.5 * 10 = rank 5; 0.9 * 10 = rank 9; 0.99 * 10 = 9.9 -> rank 10; 0.25 * 10 = 2.5 -> rank 3
        assertThat(LatencySummary.percentile(sorted, 50)).isEqualTo(50);
        assertThat(LatencySummary.percentile(sorted, 90)).isEqualTo(90);
        assertThat(LatencySummary.percentile(sorted, 99)).isEqualTo(100);
        assertThat(LatencySummary.percentile(sorted, 25)).isEqualTo(30);
    }

    @Test
    void oneSampleIsEveryPercentile() {
        assertThat(LatencySummary.of(new long[] {7})).isEqualTo(new LatencySummary(1, 7, 7, 7, 7, 7));
    }

    @Test
    void summaryOfUnsortedSamplesLeavesTheInputAlone() {
        long[] samples = {900, 100, 500, 300, 700, 200, 800, 400, 600, 1000, 150};

        LatencySummary s = LatencySummary.of(samples);

        // sorted: 100 150 200 300 400 500 600 700 800 900 1000 (n = 11)
        // p50: ceil(5.5) = rank 6 -> 500; p90: ceil(9.9) = rank 10 -> 900; p99: ceil(10.89) = rank 11 -> 1000
        // mean: 5650 / 11 = 513.6 -> 513
        assertThat(s).isEqualTo(new LatencySummary(11, 500, 900, 1000, 1000, 513));
        assertThat(samples).containsExactly(900, 100, 500, 300, 700, 200, 800, 400, 600, 1000, 150);
    }

    @Test
    void twoHundredSamplesPutP99OnTheOneHundredNinetyEighthSmallest() {
        long[] samples = LongStream.rangeClosed(1, 200).map(i -> i * 1000).toArray();

        LatencySummary s = LatencySummary.of(samples);

        assertThat(s).isEqualTo(new LatencySummary(200, 100_000, 180_000, 198_000, 200_000, 100_500));
    }

    @Test
    void negativeDifferencesAreSummarisedToo() {
        // latency minus slowest PACS can be slightly negative: the two are measured by different clocks
        LatencySummary s = LatencySummary.of(new long[] {-1000, 2000, 3000, 4000});

        assertThat(s).isEqualTo(new LatencySummary(4, 2000, 4000, 4000, 4000, 2000));
    }

    @Test
    void noSamplesGiveTheEmptySummary() {
        assertThat(LatencySummary.of(new long[0])).isEqualTo(LatencySummary.EMPTY);
    }

    @Test
    void percentilesOutsideZeroToOneHundredAreRefused() {
        long[] sorted = {1, 2, 3};

        assertThatThrownBy(() -> LatencySummary.percentile(sorted, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LatencySummary.percentile(sorted, 100.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LatencySummary.percentile(new long[0], 50))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void millisecondsAreShownWithOneDecimal() {
        assertThat(LatencySummary.millis(152_449)).isEqualTo("152.4");
        assertThat(LatencySummary.millis(950)).isEqualTo("1.0");
        assertThat(LatencySummary.millis(949)).isEqualTo("0.9");
        assertThat(LatencySummary.millis(-2_500)).isEqualTo("-2.5");
    }

    @Test
    void aTableRowShowsTheNameTheCountAndMillisecondsUnderTheHeader() {
        LatencySummary s = LatencySummary.of(java.util.List.of("a", "bb", "ccc"), x -> x.length() * 1_250L);

        assertThat(s).isEqualTo(new LatencySummary(3, 2_500, 3_750, 3_750, 3_750, 2_500));
        assertThat(s.tableRow("final − slowest PACS"))
                .isEqualTo("| final − slowest PACS | 3 | 2.5 | 3.8 | 3.8 | 3.8 | 2.5 |");
        assertThat(LatencySummary.TABLE_HEADER.split("\n")[0].split("\\|").length)
                .isEqualTo(s.tableRow("x").split("\\|").length);
    }

    @Test
    void theTailAtTheNinetyNinthPercentileIsTheSlowestOnePercentSlowestFirst() {
        record Query(String name, long overheadMicros) {}
        List<Query> queries = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            queries.add(new Query("q" + i, i * 1000L));
        }
        Collections.shuffle(queries, new Random(7));

        // rank ceil(0.99 * 200) = 198: the queries of 198, 199 and 200 ms
        assertThat(LatencySummary.tail(queries, Query::overheadMicros, 99))
                .extracting(Query::name)
                .containsExactly("q200", "q199", "q198");
        assertThat(LatencySummary.tail(queries.subList(0, 5), Query::overheadMicros, 99))
                .as("fewer than 100 items: the slowest one")
                .hasSize(1);
        assertThat(LatencySummary.tail(List.<Query>of(), Query::overheadMicros, 99))
                .isEmpty();
    }
}
