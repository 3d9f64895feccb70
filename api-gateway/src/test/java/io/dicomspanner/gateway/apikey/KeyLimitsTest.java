package io.dicomspanner.gateway.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.gateway.apikey.KeyLimits.Limits;
import io.dicomspanner.gateway.apikey.KeyLimits.Permit;
import io.dicomspanner.gateway.apikey.KeyLimits.Refused;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The limiter on a clock that moves only when the test moves it. */
class KeyLimitsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
    private final KeyLimits limits = new KeyLimits(clock);

    @Test
    void theSearchBeyondThePerSecondLimitIsRefusedUntilTheOldestLeavesTheSecond() {
        Limits twoPerSecond = new Limits(2, 0);

        assertThat(limits.acquire(7, twoPerSecond, false)).isInstanceOf(Permit.class);
        clock.advance(Duration.ofMillis(400));
        assertThat(limits.acquire(7, twoPerSecond, false)).isInstanceOf(Permit.class);
        assertThat(limits.acquire(7, twoPerSecond, false))
                .isEqualTo(new Refused("API key 7 may start 2 searches per second", Duration.ofSeconds(1)));

        clock.advance(Duration.ofMillis(599)); // 999 ms after the first
        assertThat(limits.acquire(7, twoPerSecond, false)).isInstanceOf(Refused.class);
        clock.advance(Duration.ofMillis(1)); // the first leaves the second
        assertThat(limits.acquire(7, twoPerSecond, false)).isInstanceOf(Permit.class);
        assertThat(limits.acquire(7, twoPerSecond, false)).isInstanceOf(Refused.class);
        clock.advance(Duration.ofMillis(400)); // the second leaves too
        assertThat(limits.acquire(7, twoPerSecond, false)).isInstanceOf(Permit.class);
    }

    @Test
    void retryAfterIsRoundedUpToWholeSeconds() {
        Limits onePerSecond = new Limits(1, 0);
        limits.acquire(1, onePerSecond, false);
        clock.advance(Duration.ofMillis(1));

        Refused refused = (Refused) limits.acquire(1, onePerSecond, false);

        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(refused.detail()).isEqualTo("API key 1 may start 1 search per second");
    }

    @Test
    void aRefusedSearchCountsForNothing() {
        Limits onePerSecond = new Limits(1, 0);
        limits.acquire(1, onePerSecond, false);
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMillis(100));
            assertThat(limits.acquire(1, onePerSecond, false)).isInstanceOf(Refused.class);
        }
        clock.advance(Duration.ofMillis(500));

        assertThat(limits.acquire(1, onePerSecond, false)).isInstanceOf(Permit.class);
    }

    @Test
    void keysAreCountedApart() {
        Limits onePerSecond = new Limits(1, 0);

        assertThat(limits.acquire(1, onePerSecond, false)).isInstanceOf(Permit.class);
        assertThat(limits.acquire(2, onePerSecond, false)).isInstanceOf(Permit.class);
        assertThat(limits.acquire(1, onePerSecond, false)).isInstanceOf(Refused.class);
    }

    @Test
    void inFlightSlotsAreHeldUntilTheirPermitsCloseOnceEach() {
        Limits twoInFlight = new Limits(0, 2);
        Permit first = (Permit) limits.acquire(3, twoInFlight, true);
        Permit second = (Permit) limits.acquire(3, twoInFlight, true);

        assertThat(limits.acquire(3, twoInFlight, true))
                .isEqualTo(new Refused(
                        "API key 3 has 2 searches in flight, its limit; send the next when one is answered",
                        Duration.ofSeconds(1)));
        assertThat(limits.inFlight(3)).isEqualTo(2);
        assertThat(limits.acquire(3, twoInFlight, false)).as("holds no slot").isInstanceOf(Permit.class);

        first.close();
        first.close();
        assertThat(limits.inFlight(3)).isEqualTo(1);
        Permit third = (Permit) limits.acquire(3, twoInFlight, true);
        assertThat(limits.acquire(3, twoInFlight, true)).isInstanceOf(Refused.class);
        second.close();
        third.close();
        assertThat(limits.inFlight(3)).isZero();
    }

    @Test
    void aSearchRefusedForInFlightTakesNoPerSecondTurn() {
        Limits both = new Limits(2, 1);
        Permit held = (Permit) limits.acquire(4, both, true);
        assertThat(limits.acquire(4, both, true)).isInstanceOf(Refused.class);
        held.close();

        assertThat(limits.acquire(4, both, true)).isInstanceOf(Permit.class);
        assertThat(((Refused) limits.acquire(4, both, false)).detail())
                .isEqualTo("API key 4 may start 2 searches per second");
    }

    @Test
    void unlimitedMeansUnlimitedAndANewLimitAppliesToWhatWasGrantedBefore() {
        for (int i = 0; i < 1000; i++) {
            assertThat(limits.acquire(5, Limits.NONE, true)).isInstanceOf(Permit.class);
        }
        Limits three = new Limits(3, 0);
        limits.acquire(5, three, false);
        limits.acquire(5, three, false);
        limits.acquire(5, three, false);

        Limits one = new Limits(1, 0);
        assertThat(limits.acquire(5, one, false)).as("the newest grant is kept").isInstanceOf(Refused.class);
        clock.advance(Duration.ofSeconds(1));
        assertThat(limits.acquire(5, one, false)).isInstanceOf(Permit.class);
        assertThat(limits.acquire(5, new Limits(2, 0), false)).isInstanceOf(Permit.class);
        assertThat(limits.acquire(5, new Limits(2, 0), false)).isInstanceOf(Refused.class);
    }

    @Test
    void negativeLimitsAreNotLimits() {
        assertThatThrownBy(() -> new Limits(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
