package io.dicomspanner.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LongSummaryStatistics;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ThinkTimeTest {

    private static final ThinkTime FIVE_SECONDS = new ThinkTime(Duration.ofSeconds(5));
    private static final long SEED = 1_795_828_292_423L;

    @Test
    void clientsOfOneRunStartSpreadOverTheWholeThinkTime() {
        LongSummaryStatistics starts = IntStream.range(0, 100)
                .mapToLong(c -> FIVE_SECONDS.startMillis(ThinkTime.forClient(SEED, c)))
                .summaryStatistics();

        assertThat(starts.getMin()).isLessThan(250);
        assertThat(starts.getMax()).isGreaterThan(4_750);
    }

    @Test
    void randomsWithAdjacentSeedsWouldStartEveryClientTogether() {
        // why forClient exists: this is what the load tools did before
        LongSummaryStatistics starts = IntStream.range(0, 100)
                .mapToLong(c -> FIVE_SECONDS.startMillis(new Random(SEED + c)))
                .summaryStatistics();

        assertThat(starts.getMax() - starts.getMin()).isLessThan(150);
    }

    @Test
    void pausesLieBetweenHalfAndOneAndAHalfTimesTheMean() {
        Random random = ThinkTime.forClient(SEED, 7);
        LongSummaryStatistics pauses = IntStream.range(0, 1000)
                .mapToLong(i -> FIVE_SECONDS.nextMillis(random))
                .summaryStatistics();

        assertThat(pauses.getMin()).isGreaterThanOrEqualTo(2_500);
        assertThat(pauses.getMax()).isLessThan(7_500);
    }

    @Test
    void theSameSeedGivesTheSameClients() {
        assertThat(ThinkTime.forClient(SEED, 3).nextLong())
                .isEqualTo(ThinkTime.forClient(SEED, 3).nextLong())
                .isNotEqualTo(ThinkTime.forClient(SEED, 4).nextLong());
    }
}
