package io.dicomspanner.common.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.common.ratelimit.RequestLimiter.Limit;
import io.dicomspanner.common.ratelimit.RequestLimiter.Limits;
import io.dicomspanner.common.ratelimit.RequestLimiter.Permit;
import io.dicomspanner.common.ratelimit.RequestLimiter.Refused;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RequestLimiterTest {

    /** A clock that moves only when the test says so. */
    static final class SteppedClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void step(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final SteppedClock clock = new SteppedClock();
    final RequestLimiter limiter = new RequestLimiter(clock);

    @Test
    void aKeyGetsOneSecondsWorthOfRequestsThenIsRefusedUntilTimeRefillsItsBucket() {
        Limits limits = new Limits(3, 0);
        for (int i = 0; i < 3; i++) {
            release(limiter.tryAcquire("SCU_A", limits));
        }

        assertThat(limiter.tryAcquire("SCU_A", limits))
                .isEqualTo(new Refused(Limit.RATE, limits, Duration.ofSeconds(1)));
        assertThat(limiter.tryAcquire("SCU_B", limits)).isInstanceOf(Permit.class);

        clock.step(Duration.ofMillis(333));
        assertThat(limiter.tryAcquire("SCU_A", limits)).isInstanceOf(Refused.class);
        clock.step(Duration.ofMillis(1));
        assertThat(limiter.tryAcquire("SCU_A", limits)).isInstanceOf(Permit.class);
        assertThat(limiter.tryAcquire("SCU_A", limits)).isInstanceOf(Refused.class);
    }

    @Test
    void aSlowRateSaysHowManyWholeSecondsToWait() {
        Limits limits = new Limits(0.25, 0);
        release(limiter.tryAcquire("SCU", limits));

        assertThat(limiter.tryAcquire("SCU", limits)).isEqualTo(new Refused(Limit.RATE, limits, Duration.ofSeconds(4)));
        clock.step(Duration.ofMillis(2500));
        assertThat(limiter.tryAcquire("SCU", limits)).isEqualTo(new Refused(Limit.RATE, limits, Duration.ofSeconds(2)));
    }

    @Test
    void requestsInFlightAreLimitedUntilOneIsReleasedAndARefusalSpendsNoToken() {
        Limits limits = new Limits(3, 2);
        Permit first = (Permit) limiter.tryAcquire("SCU", limits);
        Permit second = (Permit) limiter.tryAcquire("SCU", limits);

        assertThat(limiter.tryAcquire("SCU", limits))
                .isEqualTo(new Refused(Limit.IN_FLIGHT, limits, Duration.ofSeconds(1)));
        assertThat(limiter.inFlight("SCU")).isEqualTo(2);

        first.close();
        first.close();
        assertThat(limiter.inFlight("SCU")).isEqualTo(1);
        // two tokens spent, one left: the in-flight refusal above took none
        assertThat(limiter.tryAcquire("SCU", limits)).isInstanceOf(Permit.class);
        second.close();
        assertThat(limiter.tryAcquire("SCU", limits)).isEqualTo(new Refused(Limit.RATE, limits, Duration.ofSeconds(1)));
    }

    @Test
    void zeroMeansNoLimit() {
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.tryAcquire("SCU", Limits.NONE)).isInstanceOf(Permit.class);
        }
        assertThat(limiter.inFlight("SCU")).isEqualTo(1000);
    }

    @Test
    void idleKeysAreForgottenWithoutChangingAnyAnswer() {
        Limits limits = new Limits(1, 1);
        Permit held = (Permit) limiter.tryAcquire("HOLDER", limits);
        for (int i = 0; i <= RequestLimiter.REMEMBERED_KEYS; i++) {
            release(limiter.tryAcquire("SCU" + i, limits));
        }
        clock.step(Duration.ofSeconds(1));

        assertThat(limiter.tryAcquire("ANOTHER", limits)).isInstanceOf(Permit.class);
        assertThat(limiter.inFlight("HOLDER")).isEqualTo(1);
        assertThat(limiter.tryAcquire("HOLDER", limits))
                .isEqualTo(new Refused(Limit.IN_FLIGHT, limits, Duration.ofSeconds(1)));
        held.close();
        assertThat(limiter.inFlight("HOLDER")).isZero();
    }

    @Test
    void negativeLimitsAreRefusedWithTheirName() {
        assertThatThrownBy(() -> new Limits(-1, 0))
                .hasMessage("requests per second must be 0 (no limit) or more, was -1.0");
        assertThatThrownBy(() -> new Limits(0, -2))
                .hasMessage("requests in flight must be 0 (no limit) or more, was -2");
    }

    private static void release(RequestLimiter.Admission admission) {
        assertThat(admission).isInstanceOf(Permit.class);
        ((Permit) admission).close();
    }
}
